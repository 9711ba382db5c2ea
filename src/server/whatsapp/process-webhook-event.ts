// The asynchronous half of the webhook: applies stored payloads exactly once (row lock + processed_at),
// then hands their automatic replies to the send queue, downloads any inbound media they announced and
// notifies the assigned agents' browsers.
import { applyParkedStatuses } from '@/core/inbox/apply-message-status'
import { ingestWebhookPayload, ingestWebhookPayloads, type BatchOutcome } from '@/core/inbox/ingest-webhook-payload'
import type { JobQueue } from '@/core/sending/job-queue'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { notifyAssignees, type PushSettings } from '@/server/push/notify-assignees'
import { enqueueSends } from '@/server/sending/hand-off'
import { fetchInboundMedia, type MediaDeps } from './fetch-inbound-media'
import { claimDueEvents, markEventsApplied, recordEventFailure } from './webhook-event-queue'

export type WebhookDeps = MediaDeps & { queue: JobQueue; push?: PushSettings | null }

/**
 * Claims up to `max` due payloads and applies them in one transaction. Answers how many it claimed, how
 * many events they held and, when the batch failed as a whole, their ids: the caller applies those one by
 * one, so a poison payload is retried (and in the end dead-lettered) alone.
 */
export async function applyDueEvents(deps: WebhookDeps, max: number): Promise<{ claimed: number; events: number; applyAlone: string[] }> {
  let claimed: string[] = []
  let outcome: BatchOutcome | null
  try {
    outcome = await deps.db.withService(async (tx) => {
      const events = await claimDueEvents(tx, max)
      claimed = events.map((e) => e.id)
      if (!events.length) return null
      const result = await ingestWebhookPayloads(tx, events.map((e) => e.payload))
      // Statuses parked earlier whose send has been recorded since: a race with the sent-recorder can leave one.
      await applyParkedStatuses(tx)
      await markEventsApplied(tx, events.map((e, i) => ({ id: e.id, ...result.payloads[i]! })))
      return result
    })
  } catch (error) {
    // The claim ended with the rollback.
    if (!claimed.length) throw error
    log.warn({ err: error, events: claimed.length }, 'applying a batch of webhook payloads failed; applying them one by one')
    return { claimed: claimed.length, events: 0, applyAlone: claimed }
  }
  // After the commit: the batch is applied whatever becomes of its follow-up work.
  if (!outcome) return { claimed: 0, events: 0, applyAlone: [] }
  await followUp(deps, outcome, claimed.length)
  return { claimed: claimed.length, events: Object.values(outcome.counts).reduce((a, b) => a + b, 0), applyAlone: [] }
}

/** Applies one stored payload alone; a failure is recorded on its row (retried later, dead after the last try) and rethrown. */
export async function processWebhookEvent(eventId: string, deps: WebhookDeps) {
  const outcome = await ingestStoredEvent(deps.db, eventId)
  if (outcome) await followUp(deps, outcome, 1)
  return outcome
}

export async function ingestStoredEvent(database: Db, eventId: string) {
  try {
    return await database.withService(async (tx) => {
      // SKIP LOCKED: if another worker holds this event, let it finish instead of waiting.
      const [event] = await tx<{ payload: unknown }[]>`
        select payload from public.webhook_events where id = ${eventId} and processed_at is null for update skip locked`
      if (!event) return null
      const outcome = await ingestWebhookPayload(tx, event.payload)
      await markEventsApplied(tx, [{ id: eventId, tenantIds: outcome.tenantIds, problems: outcome.problems }])
      if (outcome.problems.length) log.warn({ eventId, problems: outcome.problems.length }, 'webhook event processed with problems')
      return outcome
    })
  } catch (error) {
    await recordEventFailure(database, eventId, error)
    throw error
  }
}

async function followUp(deps: WebhookDeps, outcome: Omit<BatchOutcome, 'payloads'>, events: number) {
  // The replies are committed as pending: if enqueueing fails, the straggler sweep sends them a little later.
  if (outcome.sends.length)
    await enqueueSends(deps.queue, outcome.sends).catch((error) => log.warn({ err: error, events }, 'handing automatic replies to the send queue failed'))
  for (const mediaRowId of outcome.mediaToFetch) await fetchInboundMedia(deps, mediaRowId)
  // A notification is a courtesy: failing to send one never fails (and so never repeats) the event.
  if (deps.push && outcome.inbound.length)
    await notifyAssignees(deps.db, deps.push, outcome.inbound).catch((error) => log.warn({ err: error, events }, 'web push notifications failed'))
}
