// The asynchronous half of the webhook: applies one stored payload exactly once (row lock + processed_at),
// then hands its automatic replies to the send queue, downloads any inbound media it announced and
// notifies the assigned agents' browsers.
import { ingestWebhookPayload } from '@/core/inbox/ingest-webhook-payload'
import type { JobQueue } from '@/core/sending/job-queue'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { notifyAssignees, type PushSettings } from '@/server/push/notify-assignees'
import { enqueueSends } from '@/server/sending/hand-off'
import { fetchInboundMedia, type MediaDeps } from './fetch-inbound-media'

export async function processWebhookEvent(eventId: string, deps: MediaDeps & { queue: JobQueue; push?: PushSettings | null }) {
  const outcome = await ingestStoredEvent(deps.db, eventId)
  // The replies are committed as pending: if enqueueing fails, the straggler sweep sends them a little later.
  if (outcome?.sends.length)
    await enqueueSends(deps.queue, outcome.sends).catch((error) => log.warn({ err: error, eventId }, 'handing automatic replies to the send queue failed'))
  for (const mediaRowId of outcome?.mediaToFetch ?? []) await fetchInboundMedia(deps, mediaRowId)
  // A notification is a courtesy: failing to send one never fails (and so never repeats) the event.
  if (deps.push && outcome?.inbound.length)
    await notifyAssignees(deps.db, deps.push, outcome.inbound).catch((error) => log.warn({ err: error, eventId }, 'web push notifications failed'))
  return outcome
}

export async function ingestStoredEvent(database: Db, eventId: string) {
  try {
    return await database.withService(async (tx) => {
      // SKIP LOCKED: if the worker's sweep holds this event, let it finish instead of waiting.
      const [event] = await tx<{ payload: unknown }[]>`
        select payload from public.webhook_events where id = ${eventId} and processed_at is null for update skip locked`
      if (!event) return null
      const outcome = await ingestWebhookPayload(tx, event.payload)
      await tx`
        update public.webhook_events set processed_at = now(), attempts = attempts + 1,
          tenant_id = ${outcome.tenantIds.length === 1 ? outcome.tenantIds[0]! : null},
          error = ${outcome.problems.length ? outcome.problems.join('\n').slice(0, 4000) : null}
        where id = ${eventId}`
      if (outcome.problems.length) log.warn({ eventId, problems: outcome.problems.length }, 'webhook event processed with problems')
      return outcome
    })
  } catch (error) {
    await database.sql`update public.webhook_events set attempts = attempts + 1, error = ${String(error).slice(0, 4000)} where id = ${eventId}`
    throw error
  }
}
