'use client'
// The inbox's server state: the conversation list (infinite, keyset cursor), one conversation, its
// messages (infinite, newest page first) and the lookups the panels need, plus the writes that change them.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { api } from '@/ui/api/api-client'
import { queryKeys } from '@/ui/api/query-keys'
import type { MembersResponse } from '@/ui/api/types'
import { useTenantId } from '@/ui/api/use-session'
import {
  conversationListPath,
  inboxKeys,
  type ChatMessage,
  type ConversationDetail,
  type ConversationFilters,
  type ConversationPage,
  type MessagePage,
  type TemplateRow,
} from './inbox-api'


export function useConversationList(filters: ConversationFilters) {
  const tenantId = useTenantId()
  return useInfiniteQuery({
    queryKey: inboxKeys.list(tenantId, filters),
    queryFn: ({ pageParam }) => api<ConversationPage>(conversationListPath(filters, pageParam)),
    initialPageParam: null as { before: string; beforeId: string } | null,
    getNextPageParam: (last) => {
      const row = last.conversations.at(-1)
      return last.hasMore && row?.lastMessageAt ? { before: row.lastMessageAt, beforeId: row.id } : undefined
    },
    enabled: tenantId !== null,
  })
}

export function useConversation(id: string | null) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: inboxKeys.conversation(tenantId, id ?? ''),
    queryFn: () => api<{ conversation: ConversationDetail }>(`/api/conversations/${id}`).then((r) => r.conversation),
    enabled: tenantId !== null && id !== null,
  })
}

const MESSAGE_PAGE = 50

export function useMessages(conversationId: string) {
  const tenantId = useTenantId()
  return useInfiniteQuery({
    queryKey: inboxKeys.messages(tenantId, conversationId),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(MESSAGE_PAGE) })
      if (pageParam) {
        params.set('before', pageParam.before)
        params.set('beforeId', pageParam.beforeId)
      }
      return api<MessagePage>(`/api/conversations/${conversationId}/messages?${params}`)
    },
    initialPageParam: null as { before: string; beforeId: string } | null,
    getNextPageParam: (last) => {
      const oldest = last.messages.at(-1)
      return last.hasMore && oldest ? { before: oldest.timestamp, beforeId: oldest.id } : undefined
    },
    enabled: tenantId !== null,
  })
}


export function useApprovedTemplates() {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: inboxKeys.templates(tenantId),
    queryFn: () => api<{ templates: TemplateRow[] }>('/api/templates?status=APPROVED').then((r) => r.templates),
    enabled: tenantId !== null,
    staleTime: 5 * 60_000,
  })
}

export function useMembers() {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: queryKeys.members(tenantId),
    queryFn: () => api<MembersResponse>('/api/members'),
    enabled: tenantId !== null,
    staleTime: 5 * 60_000,
  })
}

type ConversationParts = { messages?: boolean }

/**
 * Refetches what changes to conversations can affect: the lists once, then each conversation and, unless
 * its parts say `messages: false`, its messages.
 */
export function useInvalidateConversations() {
  const client = useQueryClient()
  const tenantId = useTenantId()
  return useCallback(
    (conversations: ReadonlyMap<string, ConversationParts>) => {
      void client.invalidateQueries({ queryKey: inboxKeys.lists(tenantId) })
      for (const [conversationId, parts] of conversations) {
        void client.invalidateQueries({ queryKey: inboxKeys.conversation(tenantId, conversationId) })
        if (parts.messages !== false) void client.invalidateQueries({ queryKey: inboxKeys.messages(tenantId, conversationId) })
      }
    },
    [client, tenantId],
  )
}

/** The same for one conversation. */
export function useInvalidateConversation() {
  const invalidate = useInvalidateConversations()
  return useCallback(
    (conversationId: string, parts: ConversationParts = {}) => invalidate(new Map([[conversationId, parts]])),
    [invalidate],
  )
}

export function useUpdateConversation(conversationId: string) {
  const client = useQueryClient()
  const tenantId = useTenantId()
  const invalidate = useInvalidateConversation()
  return useMutation({
    mutationFn: (patch: { status?: string; assigneeId?: string | null; tags?: string[] }) =>
      api<{ conversation: ConversationDetail }>(`/api/conversations/${conversationId}`, { method: 'PATCH', body: patch }),
    onSuccess: ({ conversation }) => {
      client.setQueryData(inboxKeys.conversation(tenantId, conversationId), conversation)
      invalidate(conversationId, { messages: false })
    },
  })
}

export function useSendMessage(conversationId: string) {
  const invalidate = useInvalidateConversation()
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ message: ChatMessage }>(`/api/conversations/${conversationId}/messages`, { method: 'POST', body }),
    onSuccess: () => invalidate(conversationId),
  })
}

export function useAddNote(conversationId: string) {
  const invalidate = useInvalidateConversation()
  return useMutation({
    mutationFn: (body: string) => api<{ note: ChatMessage }>(`/api/conversations/${conversationId}/notes`, { method: 'POST', body: { body } }),
    onSuccess: () => invalidate(conversationId),
  })
}
