'use client'
// Switches the active workspace for people who belong to several; every tenant-scoped query refetches.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { useSession } from '@/ui/api/use-session'

export function TenantSwitcher() {
  const id = useId()
  const queryClient = useQueryClient()
  const { data } = useSession()
  const switchTenant = useMutation({
    mutationFn: (tenantId: string) => api('/api/session/tenant', { body: { tenantId } }),
    onSuccess: () => queryClient.invalidateQueries(),
    onError: (error) => toast.error(error.message),
  })
  if (!data) return <div className="h-9 animate-pulse rounded-md bg-slate-100" />
  const active = data.tenants.find((t) => t.id === data.activeTenantId)
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium uppercase tracking-wide text-slate-500">
        Workspace
      </label>
      <select
        id={id}
        value={data.activeTenantId ?? ''}
        onChange={(e) => switchTenant.mutate(e.target.value)}
        className="block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm"
      >
        {data.tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      {active && <p className="text-xs text-slate-500">Your role: {active.role}</p>}
    </div>
  )
}
