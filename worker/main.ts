// The standalone worker: feeds running campaigns into the send queues, drains the `sends` queues and the stored webhook payloads, sweeps up hand-offs a crashed web
// process never made, recovers jobs of dead workers every minute, and logs a health line every 30 s.
// SIGTERM: stop claiming, finish every job in flight, exit.
import { createCampaignFeeder } from '@/server/campaigns/campaign-feeder'
import { config } from '@/server/config'
import { createDb, dbTimeouts, preparesStatements } from '@/server/db/create-db'
import { log } from '@/server/log'
import { pushSettings } from '@/server/push/notify-assignees'
import { createSendEngine } from '@/server/sending/engine'
import { queueAction } from '@/server/sending/queue-action'
import { queueStats } from '@/server/sending/queue-stats'
import { createSendWorker } from '@/server/sending/send-worker'
import { createWebhookWorker } from '@/server/sending/webhook-worker'
import { mediaStorage } from '@/server/storage/storage-from-config'
import { graph } from '@/server/whatsapp/graph'
import { sweepStragglers } from '@/server/whatsapp/sweep-stragglers'

const HEALTH_EVERY_MS = 30_000
const SWEEP_EVERY_MS = 5_000
const RECOVER_EVERY_MS = 60_000

const c = config()
const db = createDb(c.DATABASE_URL, { max: 6, timeouts: dbTimeouts(c), prepare: preparesStatements(c) })
const engine = createSendEngine(c, db.sql)
const deps = { db, graph: graph(), storage: mediaStorage(), encryptionKey: c.ENCRYPTION_KEY, push: pushSettings(c), ...engine }
const sends = createSendWorker(deps, {
  batchSize: c.SEND_BATCH_SIZE,
  visibilityMs: c.SEND_VISIBILITY_MS,
  rateHeadroom: c.SEND_RATE_HEADROOM,
  pairIntervalMs: c.SEND_PAIR_INTERVAL_MS,
  pairBurst: c.SEND_PAIR_BURST,
  inDoubtMs: c.SEND_IN_DOUBT_MS,
})
const webhooks = createWebhookWorker(deps)
const feeder = createCampaignFeeder(deps)
const timers: NodeJS.Timeout[] = []

function every(ms: number, name: string, task: () => Promise<unknown>) {
  let running = false
  timers.push(
    setInterval(() => {
      if (running) return
      running = true
      task()
        .catch((err) => log.error({ err }, `${name} failed`))
        .finally(() => (running = false))
    }, ms),
  )
}

let lastSent = new Map<string, number>()
async function healthLine() {
  const stats = await queueStats(engine, db)
  // Rates from this worker's own counters: messages it sent per second since the last line.
  const rates = Object.fromEntries(
    [...sends.counters.perNumber].map(([id, n]) => [id, Math.round(((n - (lastSent.get(id) ?? 0)) / HEALTH_EVERY_MS) * 1000 * 10) / 10]),
  )
  lastSent = new Map(sends.counters.perNumber)
  log.info(
    {
      driver: stats.driver,
      queues: stats.queues,
      sent: sends.counters.sent,
      failed: sends.counters.failed,
      retried: sends.counters.retried,
      dead: sends.counters.dead,
      ratePerNumber: rates,
      breakers: Object.fromEntries(stats.numbers.filter((n) => n.breaker.phase !== 'closed').map((n) => [n.phoneNumberId, n.breaker.phase])),
      rssMb: Math.round(process.memoryUsage().rss / 1_048_576),
    },
    'worker health',
  )
}

log.info({ driver: engine.driver }, 'worker starting')
void sends.start()
void webhooks.start()
feeder.start()
every(SWEEP_EVERY_MS, 'sweep', async () => {
  const r = await sweepStragglers(deps)
  if (r.parkedStatuses || r.outbound || r.media) log.info(r, 'swept up stragglers')
})
// Claims take back expired jobs too; this also returns those of a number whose lane is idle.
every(RECOVER_EVERY_MS, 'recover stuck jobs', async () => {
  const { affected: recovered } = await queueAction(engine.queue, db, { action: 'recover_stuck', queue: 'sends' })
  if (recovered) log.warn({ recovered }, 'returned jobs of a dead worker to the queue')
})
every(HEALTH_EVERY_MS, 'health', healthLine)

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'worker stopping: finishing jobs in flight')
  timers.forEach(clearInterval)
  await feeder.stop()
  await Promise.all([sends.stop(), webhooks.stop()])
  await db.end()
  log.info({ sent: sends.counters.sent }, 'worker stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
