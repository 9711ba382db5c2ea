// Every message exchanged with one contact, across its conversations and our numbers, newest first,
// in the inbox's row shape plus the conversation it belongs to; keyset pages on (timestamp, id).
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'
import type { MessageRow } from '@/core/inbox/list-messages'
import { storedMessagePreview } from '@/core/inbox/stored-message-preview'
import { exactIso, exactTime } from '@/core/util/exact-timestamp'
import { decodeCursor, encodeCursor } from './contact-cursor'

export const listContactMessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
})

type MessageFields = 'id' | 'wamid' | 'direction' | 'type' | 'status' | 'content' | 'errorCode' | 'errorTitle' | 'errorDetails' | 'replyToWamid'
  | 'timestamp' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'
export interface ContactMessageRow extends Pick<MessageRow, MessageFields> {
  conversationId: string
  numberId: string
  preview: string
}

const cursorShape = z.tuple([z.iso.datetime({ offset: true }), z.uuid()])

export async function listContactMessages(tx: TransactionSql, tenantId: string, contactId: string, q: z.infer<typeof listContactMessagesQuery>) {
  const [contact] = await tx`select 1 from public.contacts where tenant_id = ${tenantId} and id = ${contactId}`
  if (!contact) throw notFound('Contact')
  const before = q.cursor ? decodeCursor(q.cursor, cursorShape) : null
  const rows = await tx<(Omit<ContactMessageRow, 'preview'>)[]>`
    select m.id, m.wamid, m.direction, m.type, m.status, m.content, m.error_code as "errorCode", m.error_title as "errorTitle",
           m.error_details as "errorDetails", m.reply_to_wamid as "replyToWamid", ${exactIso(tx, tx`m."timestamp"`)} as "timestamp", m.sent_at as "sentAt",
           m.delivered_at as "deliveredAt", m.read_at as "readAt", m.failed_at as "failedAt",
           m.conversation_id as "conversationId", m.number_id as "numberId"
    from public.messages m
    where m.tenant_id = ${tenantId} and m.contact_id = ${contactId}
      ${before ? tx`and (m."timestamp", m.id) < (${exactTime(tx, before[0])}, ${before[1]}::uuid)` : tx``}
    order by m."timestamp" desc, m.id desc
    limit ${q.limit + 1}`
  const page = rows.slice(0, q.limit)
  const last = page.at(-1)
  return {
    messages: page.map((m) => ({ ...m, preview: storedMessagePreview(m.type, m.content) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.timestamp, last.id]) : null,
  }
}
