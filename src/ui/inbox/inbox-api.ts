// The inbox's view of the API: response shapes as the browser receives them (ISO date strings) and the
// query keys, all under ['inbox', tenantId] so a resync refetches the whole inbox at once.
import type { ConversationDetail as CoreConversationDetail } from '@/core/inbox/get-conversation'
import type { ConversationListItem } from '@/core/inbox/list-conversations'
import type { MessageRow } from '@/core/inbox/list-messages'
import type { Jsonified } from '@/core/util/jsonified'

export type ConversationStatus = 'open' | 'pending' | 'resolved'
export type ConversationView = 'all' | 'mine' | 'unassigned'

export type ConversationSummary = Jsonified<ConversationListItem>
export type ConversationDetail = Jsonified<CoreConversationDetail>

export interface ConversationPage {
  conversations: ConversationSummary[]
  hasMore: boolean
}

export type ChatMessage = Jsonified<MessageRow>

export interface MessagePage {
  messages: ChatMessage[]
  hasMore: boolean
}

import type { TemplateComponent as TemplateComponentDefinition } from '@/core/whatsapp/template-inputs'
import { displayPhone } from '@/core/util/display-phone'

export type { TemplateComponentDefinition }

export interface TemplateRow {
  id: string
  name: string
  language: string
  category: string
  status: string
  components: TemplateComponentDefinition[]
  wabaId: string
}

export interface ConversationFilters {
  status: ConversationStatus | 'all'
  view: ConversationView
  numberId: string
  tag: string
  unread: boolean
  q: string
}

export const inboxKeys = {
  all: (tenantId: string | null) => ['inbox', tenantId] as const,
  lists: (tenantId: string | null) => ['inbox', tenantId, 'list'] as const,
  list: (tenantId: string | null, filters: ConversationFilters) => ['inbox', tenantId, 'list', filters] as const,
  conversation: (tenantId: string | null, id: string) => ['inbox', tenantId, 'conversation', id] as const,
  messages: (tenantId: string | null, id: string) => ['inbox', tenantId, 'messages', id] as const,
  templates: (tenantId: string | null) => ['inbox', tenantId, 'templates'] as const,
}

/** The query string of the conversation list for one page (cursor = the previous page's last row). */
export function conversationListPath(filters: ConversationFilters, cursor: { before: string; beforeId: string } | null, limit = 30) {
  const params = new URLSearchParams({ limit: String(limit), view: filters.view })
  if (filters.status !== 'all') params.set('status', filters.status)
  if (filters.numberId) params.set('numberId', filters.numberId)
  if (filters.tag) params.set('tag', filters.tag)
  if (filters.unread) params.set('unread', 'true')
  if (filters.q.trim()) params.set('q', filters.q.trim())
  if (cursor) {
    params.set('before', cursor.before)
    params.set('beforeId', cursor.beforeId)
  }
  return `/api/conversations?${params}`
}

// WhatsApp falls back to the phone digits as a profile name; show those as a phone number.
export const contactLabel = (c: { contactName: string | null; contactWaId: string }) =>
  c.contactName && c.contactName !== c.contactWaId ? c.contactName : displayPhone(c.contactWaId)
