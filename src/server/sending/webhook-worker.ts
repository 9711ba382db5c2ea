// Drains the `webhooks` queue: each job is one stored Meta payload (webhook_events row) to apply.
// Applying is idempotent (row lock + processed_at), so a job that runs twice changes nothing twice.
import { backoffMs, DEFAULT_RETRY_POLICY } from '@/core/sending/failure-policy'
import type { ClaimedJob, JobQueue } from '@/core/sending/job-queue'
import { log } from '@/server/log'
import type { MediaDeps } from '@/server/whatsapp/fetch-inbound-media'
import type { PushSettings } from '@/server/push/notify-assignees'
import { processWebhookEvent } from '@/server/whatsapp/process-webhook-event'

export interface WebhookJob {
  eventId: string
}

const BATCH = 50
const CONCURRENCY = 8
const VISIBILITY_MS = 120_000
const IDLE_MIN_MS = 25
const IDLE_MAX_MS = 250

export function createWebhookWorker(deps: MediaDeps & { queue: JobQueue; push?: PushSettings | null }) {
  let stopping = false
  let loop: Promise<void> | undefined
  const counters = { processed: 0, retried: 0, dead: 0 }

  /** Applies one payload; answers whether it is done (to be acked with its batch). */
  async function handle(job: ClaimedJob<WebhookJob>): Promise<boolean> {
    try {
      await processWebhookEvent(job.payload.eventId, deps)
      counters.processed++
      return true
    } catch (err) {
      log.error({ err, eventId: job.payload.eventId }, 'webhook event failed')
      if (job.attempts >= DEFAULT_RETRY_POLICY.maxAttempts) {
        counters.dead++
        await deps.queue.deadLetter('webhooks', job, err instanceof Error ? err.message.slice(0, 500) : 'failed')
      } else {
        counters.retried++
        await deps.queue.retry('webhooks', job, Date.now() + backoffMs(job.attempts, DEFAULT_RETRY_POLICY), 'processing failed')
      }
      return false
    }
  }

  async function run() {
    let idle = IDLE_MIN_MS
    while (!stopping) {
      const jobs = await deps.queue.claim<WebhookJob>('webhooks', BATCH, VISIBILITY_MS).catch((err) => {
        log.error({ err }, 'claiming webhooks failed')
        return []
      })
      if (!jobs.length) {
        await new Promise((r) => setTimeout(r, idle))
        idle = Math.min(IDLE_MAX_MS, idle * 2)
        continue
      }
      idle = IDLE_MIN_MS
      // Payloads of one batch are independent; a small pool keeps the database connections busy, not flooded.
      let next = 0
      const done: ClaimedJob<WebhookJob>[] = []
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, async () => {
          while (next < jobs.length) {
            const job = jobs[next++]!
            if (await handle(job)) done.push(job)
          }
        }),
      )
      // A lost ack only means a harmless second apply: processing is idempotent.
      await deps.queue.ackMany('webhooks', done).catch((err) => log.error({ err }, 'acking webhook jobs failed'))
    }
  }

  return {
    counters,
    start() {
      loop ??= run()
      return loop
    },
    async stop() {
      stopping = true
      await loop
    },
  }
}
