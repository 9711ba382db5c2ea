// The row the conversation list and the conversation view share: one select list and its joins, so
// the two can never drift apart.
import type { TransactionSql } from 'postgres'
import { exactIso } from '@/core/util/exact-timestamp'

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
  /** Exact to the microsecond: it doubles as the list's cursor. */
  lastMessageAt: string
  lastMessagePreview: string | null
  tags: string[]
  serviceWindowExpiresAt: Date | null
}

/** Columns of ConversationSummary over `c` (conversations), `ct` (contacts), `n` (numbers) and `p` (the assignee's profile). */
export const summaryColumns = (tx: TransactionSql) => tx`
  c.id, c.status, c.contact_id as "contactId", coalesce(ct.name, ct.profile_name) as "contactName", ct.wa_id as "contactWaId",
  c.number_id as "numberId", n.display_phone_number as "numberDisplayPhone",
  c.assignee_id as "assigneeId", coalesce(p.full_name, p.email) as "assigneeName",
  c.unread_count as "unreadCount", ${exactIso(tx, tx`c.last_message_at`)} as "lastMessageAt", c.last_message_preview as "lastMessagePreview",
  c.tags, c.service_window_expires_at as "serviceWindowExpiresAt"`

export const summaryJoins = (tx: TransactionSql) => tx`
  join public.contacts ct on ct.id = c.contact_id
  join public.whatsapp_numbers n on n.id = c.number_id
  left join public.profiles p on p.id = c.assignee_id`
