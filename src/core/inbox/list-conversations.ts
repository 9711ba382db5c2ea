// The conversation list of one workspace, newest activity first, with keyset pagination.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'

export const listConversationsQuery = z.object({
  status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // Cursor: the last row's last_message_at (ISO) and id, so ties never skip or repeat rows.
  before: z.iso.datetime({ offset: true }).optional(),
  beforeId: z.string().uuid().optional(),
})
export type ListConversationsQuery = z.infer<typeof listConversationsQuery>

export interface ConversationRow {
  id: string
  status: string
  contactName: string | null
  contactWaId: string
  unreadCount: number
  lastMessageAt: Date | null
  lastMessagePreview: string | null
  assigneeId: string | null
}

export async function listConversations(tx: TransactionSql, tenantId: string, q: ListConversationsQuery) {
  const before = q.before && q.beforeId ? tx`and (c.last_message_at, c.id) < (${q.before}::timestamptz, ${q.beforeId}::uuid)` : tx``
  const rows = await tx<ConversationRow[]>`
    select c.id, c.status, coalesce(ct.name, ct.profile_name) as "contactName", ct.wa_id as "contactWaId",
           c.unread_count as "unreadCount", c.last_message_at as "lastMessageAt",
           c.last_message_preview as "lastMessagePreview", c.assignee_id as "assigneeId"
    from public.conversations c join public.contacts ct on ct.id = c.contact_id
    where c.tenant_id = ${tenantId} ${q.status ? tx`and c.status = ${q.status}` : tx``} ${before}
    order by c.last_message_at desc nulls last, c.id desc
    limit ${q.limit}`
  return { conversations: rows, hasMore: rows.length === q.limit }
}
