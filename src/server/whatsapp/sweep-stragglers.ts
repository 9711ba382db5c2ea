// Crash recovery for hand-offs the web process makes after its response: an outbound message whose
// enqueue never happened (a crash, the queue store briefly down) is enqueued again, and inbound media not
// yet downloaded is fetched. Enqueueing is idempotent by id, so work that is merely waiting in the queue
// (a delayed retry, a customer's pair rate) is left alone. Also applies parked statuses whose send has
// been recorded since, should a race have left one behind while no webhook batch came to pick it up.
import { applyParkedStatuses } from '@/core/inbox/apply-message-status'
import type { JobQueue } from '@/core/sending/job-queue'
import { enqueueSends } from '@/server/sending/hand-off'
import { fetchInboundMedia, type MediaDeps } from './fetch-inbound-media'

const BATCH = 500

export interface SweepResult {
  parkedStatuses: number
  outbound: number
  media: number
}

export async function sweepStragglers(deps: MediaDeps & { queue: JobQueue }): Promise<SweepResult> {
  const parkedStatuses = await deps.db.withService((tx) => applyParkedStatuses(tx))

  // A grace period leaves the web process time to enqueue its own work first.
  const pending = await deps.db.sql<{ id: string; phoneNumberId: string }[]>`
    select m.id, n.phone_number_id as "phoneNumberId" from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
    where m.direction = 'outbound' and m.status in ('pending', 'queued') and m.wamid is null and m.created_at < now() - interval '30 seconds'
    order by m.created_at limit ${BATCH}`
  const outbound = await enqueueSends(deps.queue, pending)

  // Meta's media ids live 7 days; past that a retry cannot succeed.
  const media = await deps.db.sql<{ id: string }[]>`
    select id from public.media
    where status = 'pending' and meta_media_id is not null and message_id is not null
      and updated_at < now() - interval '60 seconds' and created_at > now() - interval '7 days'
    order by updated_at limit 100`
  for (const m of media) await fetchInboundMedia(deps, m.id)

  return { parkedStatuses, outbound, media: media.length }
}
