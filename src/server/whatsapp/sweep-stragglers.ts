// Crash recovery for work the web process starts after its response: webhook payloads not yet
// applied, outbound messages never claimed, media not yet downloaded. Each runs in bounded batches.
import type { Db } from '@/server/db/create-db'
import { deliverOutboundMessage, type DeliveryDeps } from './deliver-outbound-message'
import { fetchInboundMedia } from './fetch-inbound-media'
import { processWebhookEvent } from './process-webhook-event'
import type { MediaDeps } from './fetch-inbound-media'

const BATCH = 100

export interface SweepResult {
  webhookEvents: number
  outbound: number
  media: number
}

export async function sweepStragglers(deps: MediaDeps & DeliveryDeps & { db: Db }): Promise<SweepResult> {
  // Grace periods leave the web process time to finish its own after-response work first.
  const events = await deps.db.sql<{ id: string }[]>`
    select id from public.webhook_events
    where processed_at is null and received_at < now() - interval '5 seconds' and attempts < 10
    order by received_at limit ${BATCH}`
  for (const e of events) await processWebhookEvent(e.id, deps).catch(() => undefined)

  const outbound = await deps.db.sql<{ id: string }[]>`
    select id from public.messages
    where direction = 'outbound' and status = 'pending' and created_at < now() - interval '30 seconds'
    order by created_at limit ${BATCH}`
  for (const m of outbound) await deliverOutboundMessage(deps, m.id)

  // Meta's media ids live 7 days; past that a retry cannot succeed.
  const media = await deps.db.sql<{ id: string }[]>`
    select id from public.media
    where status = 'pending' and updated_at < now() - interval '60 seconds' and created_at > now() - interval '7 days'
    order by updated_at limit ${BATCH}`
  for (const m of media) await fetchInboundMedia(deps, m.id)

  return { webhookEvents: events.length, outbound: outbound.length, media: media.length }
}
