// The inbox's view of the API: response shapes as the browser receives them (ISO date strings) and the
// query keys, all under ['inbox', tenantId] so a resync refetches the whole inbox at once.
export type ConversationStatus = 'open' | 'pending' | 'resolved'
export type ConversationView = 'all' | 'mine' | 'unassigned'

export interface ConversationSummary {
  id: string
  status: string
  contactId: string
  contactName: string | null
  contactWaId: string
  numberId: string
  numberDisplayPhone: string | null
  assigneeId: string | null
  assigneeName: string | null
  unreadCount: number
  lastMessageAt: string | null
  lastMessagePreview: string | null
  tags: string[]
  serviceWindowExpiresAt: string | null
  matchedMessage?: { id: string; preview: string; timestamp: string } | null
}

export interface ConversationDetail extends ConversationSummary {
  contact: { id: string; name: string | null; profileName: string | null; waId: string; email: string | null; tags: string[]; optedOut: boolean; blocked: boolean }
  number: { id: string; phoneNumberId: string; displayPhone: string | null; verifiedName: string | null }
}

export interface ConversationPage {
  conversations: ConversationSummary[]
  hasMore: boolean
}

export interface ChatMessage {
  id: string
  wamid: string | null
  direction: 'inbound' | 'outbound'
  type: string
  status: string
  content: Record<string, unknown>
  errorCode: number | null
  errorTitle: string | null
  errorDetails: string | null
  replyToWamid: string | null
  timestamp: string
  sentAt: string | null
  deliveredAt: string | null
  readAt: string | null
  failedAt: string | null
  mediaId: string | null
  mediaStatus: string | null
  mediaBytes: number | null
  sentBy?: { id: string; name: string | null } | null
  quoted?: { id: string; direction: string; type: string; preview: string } | null
}

export interface MessagePage {
  messages: ChatMessage[]
  hasMore: boolean
}

export interface WhatsAppNumber {
  id: string
  phoneNumberId: string
  displayPhoneNumber: string | null
  verifiedName: string | null
  wabaId: string
}

export interface TemplateComponentDefinition {
  type: string
  format?: string
  text?: string
  buttons?: { type: string; text?: string; url?: string }[]
}

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
  numbers: (tenantId: string | null) => ['inbox', tenantId, 'numbers'] as const,
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
  c.contactName && c.contactName !== c.contactWaId ? c.contactName : `+${c.contactWaId}`
