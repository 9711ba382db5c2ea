// Response shapes and query keys of the contacts API as the browser sees them (dates as ISO strings),
// and the one way a filter becomes a query string, shared by the list, bulk tags and the export link.
import type { ContactFilter } from '@/core/crm/contact-filter'
import type { ContactDetail as CoreContactDetail } from '@/core/crm/get-contact'
import type { ContactImport } from '@/core/crm/get-contact-import'
import type { ImportBatchResult } from '@/core/crm/import-contacts-batch'
import type { ContactMessageRow } from '@/core/crm/list-contact-messages'
import type { ContactNote as CoreContactNote } from '@/core/crm/list-contact-notes'
import type { ContactListItem as CoreContactListItem } from '@/core/crm/list-contacts'
import type { RejectedRow } from '@/core/crm/validate-import-rows'
import type { Jsonified } from '@/core/util/jsonified'
import { displayPhone } from '@/core/util/display-phone'

export type ContactListItem = Jsonified<CoreContactListItem>
export interface ContactPage {
  contacts: ContactListItem[]
  nextCursor: string | null
  total?: { count: number; capped: boolean }
}
export type ContactDetail = Jsonified<CoreContactDetail>
export type ContactNote = Jsonified<CoreContactNote>
export type ContactMessage = Jsonified<ContactMessageRow>
export interface ContactMessagePage {
  messages: ContactMessage[]
  nextCursor: string | null
}
export type { RejectedRow }
export type ContactImportReport = Jsonified<ContactImport>
export type ImportBatchResponse = Jsonified<ImportBatchResult>

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

export const phoneLabel = (waId: string | null) => displayPhone(waId) || '—'
