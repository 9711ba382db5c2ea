// The stored webhook payloads as the worker's queue (see migration 20260108000000): claimed by row lock
// in the transaction that applies them, retried with backoff when applying fails, dead after the last
// attempt. Ops see and act on them as the `webhooks` family of the queue report.
import type { TransactionSql } from 'postgres'
import { DEFAULT_RETRY_POLICY } from '@/core/sending/failure-policy'
import type { QueueStats } from '@/core/sending/job-queue'
import type { Db } from '@/server/db/create-db'

export const WEBHOOK_MAX_ATTEMPTS = DEFAULT_RETRY_POLICY.maxAttempts

export interface StoredEvent {
  id: string
  payload: unknown
  attempts: number
}

export interface AppliedEvent {
  id: string
  tenantIds: string[]
  problems: string[]
}

/** Locks up to `max` due payloads, oldest first; rows another worker holds are skipped, not waited for. */
export function claimDueEvents(tx: TransactionSql, max: number) {
  return tx<StoredEvent[]>`
    select id, payload, attempts from public.webhook_events
    where processed_at is null and attempts < ${WEBHOOK_MAX_ATTEMPTS} and (retry_at is null or retry_at <= now())
    order by received_at
    limit ${max}
    for update skip locked`
}

/** Marks applied payloads done, in one statement; the tenant is kept when a payload concerned exactly one. */
export async function markEventsApplied(tx: TransactionSql, events: AppliedEvent[]) {
  if (!events.length) return
  await tx`
    update public.webhook_events e set processed_at = now(), attempts = e.attempts + 1, retry_at = null,
      tenant_id = a.tenant_id, error = a.error
    from unnest(${events.map((e) => e.id)}::uuid[],
                ${events.map((e) => (e.tenantIds.length === 1 ? e.tenantIds[0]! : null))}::uuid[],
                ${events.map((e) => (e.problems.length ? e.problems.join('\n').slice(0, 4000) : null))}::text[]) as a(id, tenant_id, error)
    where e.id = a.id`
}

/** A failed try: counted, its error kept, and the next one put off by exponential backoff with jitter. */
export async function recordEventFailure(db: Db, id: string, error: unknown) {
  const { baseMs, capMs } = DEFAULT_RETRY_POLICY
  await db.sql`
    update public.webhook_events set attempts = attempts + 1, error = ${String(error).slice(0, 4000)},
      retry_at = now() + least(${capMs}, ${baseMs} * power(2, least(attempts, 20))) * (0.5 + random() / 2) * interval '1 millisecond'
    where id = ${id} and processed_at is null`
}

/**
 * The `webhooks` family of the queue report. A payload being applied holds only a row lock, so it counts
 * as pending until its transaction commits; nothing is ever "processing" on its own.
 */
export async function webhookEventStats(db: Db): Promise<QueueStats> {
  const [row] = await db.sql<QueueStats[]>`
    select count(*) filter (where attempts < ${WEBHOOK_MAX_ATTEMPTS} and (retry_at is null or retry_at <= now()))::int as pending,
           count(*) filter (where attempts < ${WEBHOOK_MAX_ATTEMPTS} and retry_at > now())::int as delayed,
           0 as processing,
           count(*) filter (where attempts >= ${WEBHOOK_MAX_ATTEMPTS})::int as dead
    from public.webhook_events where processed_at is null`
  return row!
}

/** Gives dead payloads (one, or all) a fresh set of attempts. */
export async function retryDeadEvents(db: Db, id?: string): Promise<number> {
  const rows = await db.sql`
    update public.webhook_events set attempts = 0, retry_at = null
    where processed_at is null and attempts >= ${WEBHOOK_MAX_ATTEMPTS} and (${id ?? null}::text is null or id::text = ${id ?? null})`
  return rows.count
}

/** Gives up on dead payloads: they stay in the raw log, marked done with the error that killed them. */
export async function clearDeadEvents(db: Db): Promise<number> {
  const rows = await db.sql`
    update public.webhook_events set processed_at = now(), error = 'given up: ' || coalesce(error, '')
    where processed_at is null and attempts >= ${WEBHOOK_MAX_ATTEMPTS}`
  return rows.count
}
