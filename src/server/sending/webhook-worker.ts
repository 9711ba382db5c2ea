// Drains the stored webhook payloads: claims due ones in batches and applies each batch in one
// transaction (statuses set-based, see ingestWebhookPayloads). A batch that fails is applied again one
// payload at a time, so one slow or poison payload holds back nobody but itself.
import { log } from '@/server/log'
import { applyDueEvents, processWebhookEvent, type WebhookDeps } from '@/server/whatsapp/process-webhook-event'

// Events per transaction: enough that a campaign's status flood costs few commits, few enough that a batch
// holds its row locks (and, on the embedded database, its one session) only briefly. Meta packs up to
// ~100 statuses in one POST under load and one by one otherwise, so the claim size follows the payloads'
// recent size.
const TARGET_EVENTS = 1000
const MAX_PAYLOADS = 200
// Two loops overlap one batch's parsing with the other's database work; skip locked gives each its own
// payloads, and row locks taken in id order keep them from deadlocking on shared messages.
const LOOPS = 2
const IDLE_MIN_MS = 25
const IDLE_MAX_MS = 100

export function createWebhookWorker(deps: WebhookDeps) {
  let stopping = false
  let loops: Promise<void[]> | undefined
  const counters = { processed: 0, batches: 0, failedAlone: 0 }

  async function run() {
    let idle = IDLE_MIN_MS
    let batch = MAX_PAYLOADS
    while (!stopping) {
      const { claimed, events, applyAlone } = await applyDueEvents(deps, batch).catch((err: unknown) => {
        log.error({ err }, 'claiming webhook payloads failed')
        return { claimed: 0, events: 0, applyAlone: [] }
      })
      for (const id of applyAlone) {
        await processWebhookEvent(id, deps).catch((err: unknown) => {
          counters.failedAlone++
          log.error({ err, eventId: id }, 'webhook event failed')
        })
      }
      counters.processed += claimed
      if (events) batch = Math.max(1, Math.min(MAX_PAYLOADS, Math.round(TARGET_EVENTS / (events / claimed))))
      if (claimed) counters.batches++
      // A full batch means more is waiting: go again at once. Otherwise back off while idle.
      if (claimed && claimed >= batch) {
        idle = IDLE_MIN_MS
        continue
      }
      await new Promise((r) => setTimeout(r, claimed ? IDLE_MIN_MS : idle))
      idle = claimed ? IDLE_MIN_MS : Math.min(IDLE_MAX_MS, idle * 2)
    }
  }

  return {
    counters,
    start() {
      loops ??= Promise.all(Array.from({ length: LOOPS }, run))
      return loops
    },
    async stop() {
      stopping = true
      await loops
    },
  }
}
