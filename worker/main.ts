// The standalone worker process. It owns the background work of later capabilities (draining the send
// and inbound queues); for now it holds its database connection, reports health and stops cleanly.
import { config } from '@/server/config'
import { createDb } from '@/server/db/create-db'
import { log } from '@/server/log'

const HEALTH_EVERY_MS = 30_000
const db = createDb(config().DATABASE_URL, { max: 2 })

async function healthLine() {
  // Service connection: the worker sees every tenant and must filter explicitly when it acts.
  const [row] = await db.sql<{ unprocessed: number }[]>`
    select count(*)::int as unprocessed from public.webhook_events where processed_at is null`
  const memory = process.memoryUsage()
  log.info({ unprocessedWebhookEvents: row?.unprocessed ?? 0, rssMb: Math.round(memory.rss / 1_048_576) }, 'worker health')
}

await healthLine()
const timer = setInterval(() => healthLine().catch((err) => log.error({ err }, 'health check failed')), HEALTH_EVERY_MS)

async function stop(signal: string) {
  log.info({ signal }, 'worker stopping')
  clearInterval(timer)
  await db.end()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
