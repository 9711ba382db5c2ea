'use client'
// The signed-in user, their workspaces and the active one; everything tenant-scoped keys off it.
import { useQuery } from '@tanstack/react-query'
import { api } from './api-client'
import { queryKeys } from './query-keys'
import type { SessionResponse } from './types'

export function useSession() {
  return useQuery({ queryKey: queryKeys.session(), queryFn: () => api<SessionResponse>('/api/session') })
}

/** The signed-in member's role in the active workspace (undefined until the session has loaded). */
export function useActiveRole() {
  const { data } = useSession()
  return data?.tenants.find((t) => t.id === data.activeTenantId)?.role
}

/** The active workspace's id, or null until the session has loaded (tenant-scoped queries wait for it). */
export function useTenantId() {
  return useSession().data?.activeTenantId ?? null
}
