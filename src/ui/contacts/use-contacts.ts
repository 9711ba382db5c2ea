'use client'
// The contacts area's server state: the filtered list (infinite, keyset cursor), one contact, its
// notes and message history, and the writes that change them.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/ui/api/api-client'
import { useTenantId } from '@/ui/api/use-session'
import {
  contactKeys,
  filterParams,
  type ContactDetail,
  type ContactFilterForm,
  type ContactMessagePage,
  type ContactNote,
  type ContactPage,
} from './contacts-api'

const PAGE_SIZE = 50


export function useContactList(filter: ContactFilterForm) {
  const tenantId = useTenantId()
  return useInfiniteQuery({
    queryKey: contactKeys.list(tenantId, filter),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ ...filterParams(filter), limit: String(PAGE_SIZE) })
      if (pageParam) params.set('cursor', pageParam)
      return api<ContactPage>(`/api/contacts?${params}`)
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: tenantId !== null,
  })
}

export function useContact(id: string) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: contactKeys.contact(tenantId, id),
    queryFn: () => api<{ contact: ContactDetail }>(`/api/contacts/${id}`).then((r) => r.contact),
    enabled: tenantId !== null,
  })
}

export function useUpdateContact(id: string) {
  const tenantId = useTenantId()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) => api<{ contact: ContactDetail }>(`/api/contacts/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: ({ contact }) => {
      queryClient.setQueryData(contactKeys.contact(tenantId, id), contact)
      void queryClient.invalidateQueries({ queryKey: [...contactKeys.all(tenantId), 'list'] })
    },
  })
}

export function useContactNotes(id: string) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: contactKeys.notes(tenantId, id),
    queryFn: () => api<{ notes: ContactNote[] }>(`/api/contacts/${id}/notes`).then((r) => r.notes),
    enabled: tenantId !== null,
  })
}

export function useContactMessages(id: string) {
  const tenantId = useTenantId()
  return useInfiniteQuery({
    queryKey: contactKeys.messages(tenantId, id),
    queryFn: ({ pageParam }) => api<ContactMessagePage>(`/api/contacts/${id}/messages?limit=30${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: tenantId !== null,
  })
}
