// A conversation's messages, newest first, with keyset pagination on (timestamp, id), each with the
// team member who sent it and, for a reply, the message it quotes. One query: the sender comes from
// profiles by primary key and the quoted message from the unique wamid index.
import type { PendingQuery, Row as SqlRow, TransactionSql } from 'postgres'
import { z } from 'zod'
import { exactIso, exactTime } from '@/core/util/exact-timestamp'
import { storedMessagePreview } from './stored-message-preview'

export const listMessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
  beforeId: z.uuid().optional(),
})

export interface QuotedMessage {
  id: string
  direction: 'inbound' | 'outbound'
  type: string
  preview: string
}

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
  /** Exact to the microsecond: it doubles as the cursor. */
  timestamp: string
  sentAt: Date | null
  deliveredAt: Date | null
  readAt: Date | null
  failedAt: Date | null
  mediaId: string | null
  mediaStatus: string | null
  /** The stored file's size, once downloaded. */
  mediaBytes: number | null
  sentBy: { id: string; name: string | null } | null
  quoted: QuotedMessage | null
}

type Row = Omit<MessageRow, 'quoted'> & { quoted: (Omit<QuotedMessage, 'preview'> & { content: unknown }) | null }

async function selectMessages(tx: TransactionSql, tenantId: string, conversationId: string, where: PendingQuery<SqlRow[]>, limit: number) {
  const rows = await tx<Row[]>`
    select m.id, m.wamid, m.direction, m.type, m.status, m.content, m.error_code as "errorCode", m.error_title as "errorTitle",
           m.error_details as "errorDetails", m.reply_to_wamid as "replyToWamid", ${exactIso(tx, tx`m."timestamp"`)} as "timestamp", m.sent_at as "sentAt",
           m.delivered_at as "deliveredAt", m.read_at as "readAt", m.failed_at as "failedAt",
           md.id as "mediaId", md.status as "mediaStatus", md.size_bytes::float8 as "mediaBytes",
           case when m.sent_by is null then null
                else json_build_object('id', m.sent_by, 'name', coalesce(p.full_name, p.email)) end as "sentBy",
           case when q.id is null then null
                else json_build_object('id', q.id, 'direction', q.direction, 'type', q.type, 'content', q.content) end as quoted
    from public.messages m
    left join lateral (select id, status, size_bytes from public.media where message_id = m.id and tenant_id = m.tenant_id limit 1) md on true
    left join public.profiles p on p.id = m.sent_by
    left join public.messages q on q.wamid = m.reply_to_wamid and q.tenant_id = m.tenant_id
    where m.tenant_id = ${tenantId} and m.conversation_id = ${conversationId} ${where}
    order by m."timestamp" desc, m.id desc
    limit ${limit}`
  return rows.map(({ quoted, ...m }): MessageRow => ({
    ...m,
    quoted: quoted && { id: quoted.id, direction: quoted.direction, type: quoted.type, preview: storedMessagePreview(quoted.type, quoted.content) },
  }))
}

export async function listMessages(tx: TransactionSql, tenantId: string, conversationId: string, q: z.infer<typeof listMessagesQuery>) {
  const before = q.before && q.beforeId ? tx`and (m."timestamp", m.id) < (${exactTime(tx, q.before)}, ${q.beforeId}::uuid)` : tx``
  const rows = await selectMessages(tx, tenantId, conversationId, before, q.limit + 1)
  return { messages: rows.slice(0, q.limit), hasMore: rows.length > q.limit }
}

/** One message of the conversation in the same shape as the list, e.g. right after it was written. */
export async function getMessage(tx: TransactionSql, tenantId: string, conversationId: string, messageId: string) {
  const [row] = await selectMessages(tx, tenantId, conversationId, tx`and m.id = ${messageId}`, 1)
  return row ?? null
}
