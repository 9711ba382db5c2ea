// Applies a delivery status to an outbound message, monotonically (see STATUS_RANK): statuses arrive
// out of order and more than once, so a late "delivered" never downgrades "read". A status for a wamid
// we do not know yet (the send's answer may still be in flight) is parked in pending_statuses.
import type { TransactionSql } from 'postgres'
import { classifyGraphError } from '@/core/whatsapp/graph-errors'
import { isStatusUpgrade, statusRank } from '@/core/whatsapp/status-rank'
import type { MetaError } from '@/core/whatsapp/webhook-events'

export interface StatusUpdate {
  wamid: string
  status: string
  timestamp: Date
  errors: Pick<MetaError, 'code' | 'title' | 'message' | 'details'>[]
  /** Echo of the send's biz_opaque_callback_data: the send engine puts our message id there. */
  bizOpaqueCallbackData?: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const TIMESTAMP_COLUMN: Record<string, string> = { sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', played: 'read_at', failed: 'failed_at' }

export type StatusOutcome = 'applied' | 'ignored' | 'parked' | 'unknown_status'

export async function applyMessageStatus(tx: TransactionSql, tenantId: string, update: StatusUpdate): Promise<StatusOutcome> {
  const column = TIMESTAMP_COLUMN[update.status]
  if (!column) return statusRank(update.status) < 0 ? 'unknown_status' : 'ignored'
  // Row lock: two processors applying statuses of one message serialise here.
  const [message = await adoptInDoubtSend(tx, tenantId, update)] = await tx<{ id: string; status: string }[]>`
    select id, status from public.messages
    where tenant_id = ${tenantId} and wamid = ${update.wamid}
    for update`
  if (!message) {
    await tx`
      insert into public.pending_statuses (tenant_id, wamid, status, "timestamp", errors)
      values (${tenantId}, ${update.wamid}, ${update.status}, ${update.timestamp}, ${tx.json(update.errors as never)})
      on conflict (wamid, status) do nothing`
    return 'parked'
  }
  const upgrade = isStatusUpgrade(message.status, update.status)
  const error = update.status === 'failed' && upgrade ? update.errors[0] : undefined
  // The same words an agent sees when a send fails at once: our explanation of Meta's code.
  const explanation = error
    ? classifyGraphError({ body: { error: { code: error.code, message: error.message ?? error.title, error_data: { details: error.details } } } }).agentMessage
    : null
  // Each timestamp keeps the earliest report. A status also proves the earlier steps Meta may have
  // skipped (read ⇒ delivered ⇒ sent), and a delivered arriving after the read corrects that estimate.
  const columns = new Set([column])
  if (update.status !== 'failed') columns.add('sent_at')
  if (statusRank(update.status) >= statusRank('delivered')) columns.add('delivered_at')
  const ts = update.timestamp
  const stamps = [...columns].map((c) => tx`${tx(c)} = least(coalesce(${tx(c)}, ${ts}), ${ts}),`)
  await tx`
    update public.messages set
      ${stamps.reduce((acc, part) => tx`${acc} ${part}`)}
      status = ${upgrade ? update.status : message.status},
      error_code = coalesce(${error?.code ?? null}, error_code),
      error_title = coalesce(${error?.title ?? null}, error_title),
      error_details = coalesce(${explanation}, error_details)
    where id = ${message.id}`
  return upgrade ? 'applied' : 'ignored'
}

/**
 * A status for a wamid we never recorded, naming one of our messages that has none: its worker died
 * between Meta's answer and writing it down. Meta did accept it, so it takes the wamid and counts as
 * sent — and the send engine, seeing the wamid, will not send it again.
 */
async function adoptInDoubtSend(tx: TransactionSql, tenantId: string, update: StatusUpdate) {
  const id = update.bizOpaqueCallbackData
  if (!id || !UUID.test(id)) return undefined
  const [adopted] = await tx<{ id: string; status: string }[]>`
    update public.messages set wamid = ${update.wamid},
      status = case when status in ('pending', 'queued') then 'sent' else status end,
      sent_at = coalesce(sent_at, ${update.timestamp})
    where tenant_id = ${tenantId} and id = ${id} and direction = 'outbound' and wamid is null
    returning id, status`
  if (adopted) return adopted
  // Another status of the same send (they come in quick succession) adopted it while this one waited for
  // the row: it is known by this wamid now, and parking the status would leave it unapplied for good.
  const [known] = await tx<{ id: string; status: string }[]>`
    select id, status from public.messages where tenant_id = ${tenantId} and wamid = ${update.wamid} for update`
  return known
}

/** Applies statuses that arrived before the message had its wamid, in rank order, then forgets them. */
export async function applyParkedStatuses(tx: TransactionSql, tenantId: string, wamid: string): Promise<number> {
  const parked = await tx<{ status: string; timestamp: Date; errors: StatusUpdate['errors'] }[]>`
    delete from public.pending_statuses where tenant_id = ${tenantId} and wamid = ${wamid}
    returning status, "timestamp", errors`
  parked.sort((a, b) => statusRank(a.status) - statusRank(b.status))
  for (const p of parked) await applyMessageStatus(tx, tenantId, { wamid, status: p.status, timestamp: p.timestamp, errors: p.errors })
  return parked.length
}
