// Response shapes and query keys of the contacts API as the browser sees them (dates as ISO strings),
// and the one way a filter becomes a query string, shared by the list, bulk tags and the export link.
import type { ContactFilter } from '@/core/crm/contact-filter'

export interface ContactListItem {
  id: string
  waId: string | null
  name: string | null
  profileName: string | null
  email: string | null
  tags: string[]
  customFields: Record<string, string>
  optedOutAt: string | null
  blocked: boolean
  lastInboundAt: string | null
}
export interface ContactPage {
  contacts: ContactListItem[]
  nextCursor: string | null
  total?: { count: number; capped: boolean }
}
export interface ContactDetail extends Omit<ContactListItem, 'name'> {
  name: string | null
  optOutReason: string | null
  createdAt: string
  updatedAt: string
}
export interface ContactNote {
  id: string
  body: string
  authorId: string | null
  authorName: string | null
  createdAt: string
}
export interface ContactMessage {
  id: string
  conversationId: string
  direction: 'inbound' | 'outbound'
  type: string
  status: string
  preview: string
  timestamp: string
  errorTitle: string | null
}
export interface ContactMessagePage {
  messages: ContactMessage[]
  nextCursor: string | null
}
export interface RejectedRow {
  row: number
  reason: string
}
export interface ContactImportReport {
  id: string
  fileName: string
  status: 'running' | 'completed'
  totalRows: number | null
  processedRows: number
  createdCount: number
  updatedCount: number
  duplicateCount: number
  rejectedCount: number
  rejected: RejectedRow[]
}
export interface ImportBatchResponse {
  created: number
  updated: number
  duplicates: number
  rejected: RejectedRow[]
  import: ContactImportReport
}

/** The list filter as the page holds it: plain strings, empty meaning "any". */
export interface ContactFilterForm {
  q: string
  tags: string
  fieldKey: string
  fieldValue: string
  optedOut: '' | 'yes' | 'no'
  blocked: '' | 'yes' | 'no'
}
export const EMPTY_FILTER: ContactFilterForm = { q: '', tags: '', fieldKey: '', fieldValue: '', optedOut: '', blocked: '' }

/** Only the fields that are set, in the API's filter shape. */
export function filterParams(filter: ContactFilterForm): Partial<Record<keyof ContactFilter, string>> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''))
}

export const contactKeys = {
  all: (tenantId: string | null) => ['contacts', tenantId] as const,
  list: (tenantId: string | null, filter: ContactFilterForm) => ['contacts', tenantId, 'list', filter] as const,
  contact: (tenantId: string | null, id: string) => ['contacts', tenantId, 'contact', id] as const,
  notes: (tenantId: string | null, id: string) => ['contacts', tenantId, 'notes', id] as const,
  messages: (tenantId: string | null, id: string) => ['contacts', tenantId, 'messages', id] as const,
  importReport: (tenantId: string | null, id: string) => ['contacts', tenantId, 'import', id] as const,
}

export const e164 = (waId: string | null) => (waId ? `+${waId}` : '—')
