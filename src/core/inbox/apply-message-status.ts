// Applies delivery statuses to outbound messages, many at once and monotonically (see STATUS_RANK):
// statuses arrive out of order and more than once, so a late "delivered" never downgrades "read". A batch
// is folded per message first (the furthest status wins, each timestamp keeps its earliest report), then
// its rows are locked in one ordered statement and written in one more — only the rows that change, so a
// duplicate costs no write. A status for a wamid we do not know yet (the send's answer may still be in
// flight) is parked in pending_statuses and applied when the message gets its wamid.
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

export interface TenantStatusUpdate extends StatusUpdate {
  tenantId: string
}

export type StatusOutcome = 'applied' | 'ignored' | 'parked' | 'unknown_status'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Stamp = 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at'
const STAMP_OF: Record<string, Stamp> = { sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', played: 'read_at', failed: 'failed_at' }

/** What all the statuses of one message in a batch amount to. */
interface Folded {
  tenantId: string
  wamid: string
  best: TenantStatusUpdate
  stamps: Partial<Record<Stamp, Date>>
  /** Our message id from biz_opaque_callback_data, for a send whose wamid was never recorded. */
  messageId: string | null
  inputs: number[]
}

interface Stored {
  id: string
  tenantId: string
  wamid: string
  status: string
  sent_at: Date | null
  delivered_at: Date | null
  read_at: Date | null
  failed_at: Date | null
}

const keyOf = (tenantId: string, wamid: string) => `${tenantId}\u0000${wamid}`
// postgres.js cannot send an array of Dates as timestamptz[]: ISO strings it can.
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null
const earliest = (a: Date | undefined | null, b: Date | undefined | null) => (!a ? b ?? undefined : !b || a <= b ? a : b)

export async function applyMessageStatuses(tx: TransactionSql, updates: TenantStatusUpdate[]): Promise<StatusOutcome[]> {
  const outcomes: StatusOutcome[] = updates.map((u) => (STAMP_OF[u.status] ? 'ignored' : statusRank(u.status) < 0 ? 'unknown_status' : 'ignored'))
  const folded = fold(updates)
  if (!folded.size) return outcomes

  const stored = await lockMessages(tx, [...folded.values()])
  // Sends whose worker died between Meta's answer and writing it down: the status names our message id.
  const strays = [...folded.values()].filter((f) => !stored.has(keyOf(f.tenantId, f.wamid)) && f.messageId)
  for (const message of await adoptInDoubtSends(tx, strays)) stored.set(keyOf(message.tenantId, message.wamid), message)
  // Another batch may have adopted one while this waited for its row: it is known by the wamid now, and
  // parking its status would leave it unapplied for good.
  const raced = strays.filter((f) => !stored.has(keyOf(f.tenantId, f.wamid)))
  if (raced.length) for (const [key, message] of await lockMessages(tx, raced)) stored.set(key, message)

  const writes: ReturnType<typeof nextState>[] = []
  const unknown: Folded[] = []
  for (const [key, f] of folded) {
    const message = stored.get(key)
    if (!message) {
      unknown.push(f)
      continue
    }
    const next = nextState(message, f)
    if (next.changed) writes.push(next)
    for (const i of f.inputs) outcomes[i] = next.upgrade ? 'applied' : 'ignored'
  }
  await writeStates(tx, writes)

  if (unknown.length) {
    const parked = unknown.flatMap((f) => f.inputs.map((i) => updates[i]!))
    await tx`
      insert into public.pending_statuses (tenant_id, wamid, status, "timestamp", errors)
      select tenant_id, wamid, status, ts, errors::jsonb
      from unnest(${parked.map((p) => p.tenantId)}::uuid[], ${parked.map((p) => p.wamid)}::text[], ${parked.map((p) => p.status)}::text[],
                  ${parked.map((p) => iso(p.timestamp))}::timestamptz[], ${parked.map((p) => JSON.stringify(p.errors ?? []))}::text[])
        as p(tenant_id, wamid, status, ts, errors)
      on conflict (wamid, status) do nothing`
    for (const f of unknown) for (const i of f.inputs) outcomes[i] = 'parked'
  }
  return outcomes
}

/** One status, as the batch of one it is. */
export async function applyMessageStatus(tx: TransactionSql, tenantId: string, update: StatusUpdate): Promise<StatusOutcome> {
  return (await applyMessageStatuses(tx, [{ ...update, tenantId }]))[0]!
}

function fold(updates: TenantStatusUpdate[]): Map<string, Folded> {
  const folded = new Map<string, Folded>()
  updates.forEach((u, i) => {
    const stamp = STAMP_OF[u.status]
    if (!stamp) return
    const key = keyOf(u.tenantId, u.wamid)
    let f = folded.get(key)
    if (!f) folded.set(key, (f = { tenantId: u.tenantId, wamid: u.wamid, best: u, stamps: {}, messageId: null, inputs: [] }))
    f.inputs.push(i)
    if (statusRank(u.status) > statusRank(f.best.status)) f.best = u
    if (!f.messageId && u.bizOpaqueCallbackData && UUID.test(u.bizOpaqueCallbackData)) f.messageId = u.bizOpaqueCallbackData
    // A status also proves the earlier steps Meta may have skipped (read ⇒ delivered ⇒ sent); each
    // timestamp keeps the earliest report, so a delivered arriving after the read corrects that estimate.
    const proves: Stamp[] = [stamp]
    if (u.status !== 'failed') proves.push('sent_at')
    if (statusRank(u.status) >= statusRank('delivered')) proves.push('delivered_at')
    for (const s of proves) f.stamps[s] = earliest(f.stamps[s], u.timestamp)
  })
  return folded
}

// Ordered row locks: two workers applying overlapping batches take them in the same order, never a cycle.
async function lockMessages(tx: TransactionSql, folded: Folded[]): Promise<Map<string, Stored>> {
  const rows = await tx<Stored[]>`
    select m.id, m.tenant_id as "tenantId", m.wamid, m.status, m.sent_at, m.delivered_at, m.read_at, m.failed_at
    from public.messages m
    join unnest(${folded.map((f) => f.tenantId)}::uuid[], ${folded.map((f) => f.wamid)}::text[]) as i(tenant_id, wamid)
      on m.wamid = i.wamid and m.tenant_id = i.tenant_id
    order by m.id
    for update of m`
  return new Map(rows.map((r) => [keyOf(r.tenantId, r.wamid), r]))
}

/**
 * Statuses for wamids we never recorded, naming messages of ours that have none: Meta did accept those
 * sends, so each takes its wamid and counts as sent — and the send engine, seeing the wamid, will not
 * send it again.
 */
async function adoptInDoubtSends(tx: TransactionSql, strays: Folded[]): Promise<Stored[]> {
  if (!strays.length) return []
  return tx<Stored[]>`
    update public.messages m set wamid = s.wamid,
      status = case when m.status in ('pending', 'queued') then 'sent' else m.status end,
      sent_at = coalesce(m.sent_at, s.sent_at)
    from unnest(${strays.map((f) => f.messageId!)}::uuid[], ${strays.map((f) => f.tenantId)}::uuid[], ${strays.map((f) => f.wamid)}::text[],
                ${strays.map((f) => iso(f.stamps.sent_at ?? f.best.timestamp))}::timestamptz[]) as s(id, tenant_id, wamid, sent_at)
    where m.id = s.id and m.tenant_id = s.tenant_id and m.direction = 'outbound' and m.wamid is null
    returning m.id, m.tenant_id as "tenantId", m.wamid, m.status, m.sent_at, m.delivered_at, m.read_at, m.failed_at`
}

function nextState(message: Stored, f: Folded) {
  const upgrade = isStatusUpgrade(message.status, f.best.status)
  const stamps = Object.fromEntries(
    (Object.keys(f.stamps) as Stamp[]).map((s) => [s, earliest(message[s], f.stamps[s])!]),
  ) as Partial<Record<Stamp, Date>>
  // Meta's timestamps are whole seconds: its report of a second we already hold (our own sent_at is
  // taken to the millisecond when the send is recorded) is no news, and costs no write.
  const second = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null)
  const movedStamp = (Object.keys(stamps) as Stamp[]).some((s) => second(message[s]) !== second(stamps[s]!))
  const error = upgrade && f.best.status === 'failed' ? f.best.errors[0] : undefined
  return {
    id: message.id,
    status: upgrade ? f.best.status : message.status,
    stamps,
    error,
    // The same words an agent sees when a send fails at once: our explanation of Meta's code.
    explanation: error
      ? classifyGraphError({ body: { error: { code: error.code, message: error.message ?? error.title, error_data: { details: error.details } } } }).agentMessage
      : null,
    upgrade,
    changed: upgrade || movedStamp,
  }
}

async function writeStates(tx: TransactionSql, writes: ReturnType<typeof nextState>[]) {
  if (!writes.length) return
  const stamp = (s: Stamp) => writes.map((w) => iso(w.stamps[s]))
  await tx`
    update public.messages m set
      status = w.status,
      sent_at = least(m.sent_at, w.sent_at),
      delivered_at = least(m.delivered_at, w.delivered_at),
      read_at = least(m.read_at, w.read_at),
      failed_at = least(m.failed_at, w.failed_at),
      error_code = coalesce(w.error_code, m.error_code),
      error_title = coalesce(w.error_title, m.error_title),
      error_details = coalesce(w.error_details, m.error_details)
    from unnest(${writes.map((w) => w.id)}::uuid[], ${writes.map((w) => w.status)}::text[],
                ${stamp('sent_at')}::timestamptz[], ${stamp('delivered_at')}::timestamptz[], ${stamp('read_at')}::timestamptz[], ${stamp('failed_at')}::timestamptz[],
                ${writes.map((w) => w.error?.code ?? null)}::int[], ${writes.map((w) => w.error?.title ?? null)}::text[], ${writes.map((w) => w.explanation)}::text[])
      as w(id, status, sent_at, delivered_at, read_at, failed_at, error_code, error_title, error_details)
    where m.id = w.id`
}

/** Applies statuses that arrived before their messages had wamids, now that they have, then forgets them. */
export async function applyParkedStatuses(tx: TransactionSql, wamids?: string[]): Promise<number> {
  // Only parked rows whose message is known now; the rest keep waiting.
  const parked = await tx<{ tenantId: string; wamid: string; status: string; timestamp: Date; errors: StatusUpdate['errors'] }[]>`
    delete from public.pending_statuses p where p.id in (
      select p2.id from public.pending_statuses p2
      join public.messages m on m.wamid = p2.wamid and m.tenant_id = p2.tenant_id
      where ${wamids ?? null}::text[] is null or p2.wamid = any(${wamids ?? null}::text[])
      limit 1000)
    returning p.tenant_id as "tenantId", p.wamid, p.status, p."timestamp", p.errors`
  if (parked.length) await applyMessageStatuses(tx, parked)
  return parked.length
}
