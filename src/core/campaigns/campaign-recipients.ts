// The per-recipient table of a campaign and its CSV export, filtered by status, error code or search.
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from '@/core/crm/contact-cursor'
import { csvCell, csvLine } from '@/core/crm/contacts-csv'
import { waIdToE164 } from '@/core/crm/normalize-phone'
import { likePattern } from '@/core/util/like-pattern'
import { pagedCsvStream, type RunInTransaction } from '@/core/util/paged-csv-stream'
import type { recipientsQuerySchema } from './campaign-schemas'
import type { RecipientRow } from './campaign-views'

export type RecipientsQuery = z.infer<typeof recipientsQuerySchema>
const cursorShape = z.tuple([z.uuid()])

function recipientFilter(tx: TransactionSql, tenantId: string, campaignId: string, q: Omit<RecipientsQuery, 'limit' | 'cursor'>): PendingQuery<Row[]> {
  const parts: PendingQuery<Row[]>[] = [tx`r.tenant_id = ${tenantId} and r.campaign_id = ${campaignId}`]
  if (q.status !== 'all') parts.push(tx`r.status = ${q.status}`)
  if (q.errorCode !== undefined) parts.push(tx`r.error_code = ${q.errorCode}`)
  if (q.q) {
    const digits = q.q.replace(/\D/g, '')
    parts.push(tx`(ct.name ilike ${likePattern(q.q)} ${digits.length >= 3 ? tx`or ct.wa_id like ${likePattern(digits)}` : tx``})`)
  }
  return parts.reduce((acc, p) => tx`${acc} and ${p}`)
}

export async function listRecipients(tx: TransactionSql, tenantId: string, campaignId: string, q: RecipientsQuery): Promise<{ recipients: RecipientRow[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor, cursorShape)[0] : null
  const rows = await tx<RecipientRow[]>`
    select r.id, r.contact_id as "contactId", coalesce(ct.name, ct.profile_name) as name, ct.wa_id as "waId", r.status,
           r.error_code as "errorCode", r.error_title as "errorTitle", r.skip_reason as "skipReason",
           r.sent_at as "sentAt", r.delivered_at as "deliveredAt", r.read_at as "readAt", r.replied_at as "repliedAt", r.failed_at as "failedAt",
           m.conversation_id as "conversationId"
    from public.campaign_recipient_progress r
    join public.contacts ct on ct.id = r.contact_id
    left join public.messages m on m.id = r.message_id
    where ${recipientFilter(tx, tenantId, campaignId, q)} ${after ? tx`and r.id > ${after}` : tx``}
    order by r.id
    limit ${q.limit + 1}`
  const page = rows.slice(0, q.limit)
  return { recipients: page, nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null }
}

const COLUMNS = ['phone', 'name', 'status', 'error_code', 'error', 'skip_reason', 'sent_at', 'delivered_at', 'read_at', 'replied_at', 'failed_at']
const iso = (d: Date | null) => (d ? d.toISOString() : '')

export function exportRecipientsCsv(run: RunInTransaction, tenantId: string, campaignId: string, q: Omit<RecipientsQuery, 'limit' | 'cursor'>): ReadableStream<Uint8Array> {
  return pagedCsvStream(csvLine(COLUMNS), run, async (tx, cursor) => {
    const page = await listRecipients(tx, tenantId, campaignId, { ...q, limit: 1000, cursor })
    const lines = page.recipients.map((r) =>
      csvLine([
        csvCell(waIdToE164(r.waId), { trusted: true }),
        csvCell(r.name ?? ''),
        r.status,
        r.errorCode === null ? '' : String(r.errorCode),
        csvCell(r.errorTitle ?? ''),
        csvCell(r.skipReason ?? ''),
        iso(r.sentAt),
        iso(r.deliveredAt),
        iso(r.readAt),
        iso(r.repliedAt),
        iso(r.failedAt),
      ]),
    )
    return { lines: lines.join(''), nextCursor: page.nextCursor }
  })
}
