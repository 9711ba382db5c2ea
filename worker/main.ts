// The standalone worker process. Today it recovers after-response work a crashed or restarted web
// process left behind (webhook payloads, outbound sends, media downloads) and reports health; the
// send engine's queues move in here next. It stops cleanly on SIGTERM, finishing the sweep in flight.
import { config } from '@/server/config'
import { createDb } from '@/server/db/create-db'
import { log } from '@/server/log'
import { mediaStorage } from '@/server/storage/storage-from-config'
import { graph } from '@/server/whatsapp/graph'
import { sweepStragglers } from '@/server/whatsapp/sweep-stragglers'

const HEALTH_EVERY_MS = 30_000
const SWEEP_EVERY_MS = 2_000

const c = config()
const db = createDb(c.DATABASE_URL, { max: 2 })
const deps = { db, graph: graph(), storage: mediaStorage(), encryptionKey: c.ENCRYPTION_KEY }
let stopping = false
let sweeping: Promise<unknown> = Promise.resolve()

async function healthLine() {
  // Service connection: the worker sees every tenant and filters explicitly when it acts.
  const [row] = await db.sql<{ unprocessed: number; pendingOutbound: number; pendingMedia: number }[]>`
    select (select count(*)::int from public.webhook_events where processed_at is null) as unprocessed,
           (select count(*)::int from public.messages where direction = 'outbound' and status = 'pending') as "pendingOutbound",
           (select count(*)::int from public.media where status = 'pending') as "pendingMedia"`
  log.info({ ...row, rssMb: Math.round(process.memoryUsage().rss / 1_048_576) }, 'worker health')
}

async function sweepLoop() {
  while (!stopping) {
    sweeping = sweepStragglers(deps)
      .then((r) => (r.webhookEvents || r.outbound || r.media) && log.info(r, 'recovered stragglers'))
      .catch((err) => log.error({ err }, 'sweep failed'))
    await sweeping
    await new Promise((r) => setTimeout(r, SWEEP_EVERY_MS))
  }
}

await healthLine()
const health = setInterval(() => healthLine().catch((err) => log.error({ err }, 'health check failed')), HEALTH_EVERY_MS)
void sweepLoop()

async function stop(signal: string) {
  log.info({ signal }, 'worker stopping')
  stopping = true
  clearInterval(health)
  await sweeping
  await db.end()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
