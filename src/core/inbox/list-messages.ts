// A conversation's messages, newest first, with keyset pagination on (timestamp, id).
import type { TransactionSql } from 'postgres'
import { z } from 'zod'

export const listMessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
  beforeId: z.string().uuid().optional(),
})

export interface MessageRow {
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
  timestamp: Date
  sentAt: Date | null
  deliveredAt: Date | null
  readAt: Date | null
  failedAt: Date | null
  mediaId: string | null
  mediaStatus: string | null
}

export async function listMessages(tx: TransactionSql, tenantId: string, conversationId: string, q: z.infer<typeof listMessagesQuery>) {
  const before = q.before && q.beforeId ? tx`and (m."timestamp", m.id) < (${q.before}::timestamptz, ${q.beforeId}::uuid)` : tx``
  const rows = await tx<MessageRow[]>`
    select m.id, m.wamid, m.direction, m.type, m.status, m.content, m.error_code as "errorCode", m.error_title as "errorTitle",
           m.error_details as "errorDetails", m.reply_to_wamid as "replyToWamid", m."timestamp", m.sent_at as "sentAt",
           m.delivered_at as "deliveredAt", m.read_at as "readAt", m.failed_at as "failedAt",
           md.id as "mediaId", md.status as "mediaStatus"
    from public.messages m
    left join lateral (select id, status from public.media where message_id = m.id and tenant_id = m.tenant_id limit 1) md on true
    where m.tenant_id = ${tenantId} and m.conversation_id = ${conversationId} ${before}
    order by m."timestamp" desc, m.id desc
    limit ${q.limit}`
  return { messages: rows, hasMore: rows.length === q.limit }
}
