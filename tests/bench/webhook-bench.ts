// `npm run bench:webhook`: signed Meta webhook payloads at rising concurrency against the app, then
// proof that nothing was lost (every accepted POST is a stored event, every message a row). Each level
// is set against the app's cheapest route, GET /api/health (one `select 1`), at the same concurrency and
// number of requests: the ratio of the two rates is what the webhook's own work costs the app.
// Starts its own stack (production build when present) on a fresh database unless BENCH_URL is set;
// then it also prints what one event costs (database work, WAL, CPU per process) over all levels.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'
import { createDb, type Db } from '@/server/db/create-db'
import { loadLocalSecrets } from '../../dev/local-secrets'
import { percentile } from '../load/support/timing'
import { startBenchStack } from './support/bench-stack'
import { formatCost, startCostMeter } from './support/cost-meter'

const PER_LEVEL = Number(process.env.BENCH_REQUESTS ?? 4000)
const EVENTS_PER_PAYLOAD = Number(process.env.BENCH_EVENTS_PER_PAYLOAD ?? 1)
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,8,32,64').split(',').map(Number)
const PORT = Number(process.env.BENCH_PORT ?? 3200)
const DATA_DIR = '.data/bench'
const PHONE_NUMBER_ID = '106540352242922' // the demo number the launcher seeds

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

/** One request on the shared keep-alive agent; resolves with the status once the response has been read. */
function request(url: URL, method: string, headers: http.OutgoingHttpHeaders = {}, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function postWebhook(url: URL, body: string, secret: string) {
  return request(url, 'POST', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signWebhookBody(body, secret) }, body)
}

// Each payload carries EVENTS_PER_PAYLOAD inbound messages (Meta batches events into one POST under load).
function payload(n: number, run: string) {
  const changes = Array.from({ length: EVENTS_PER_PAYLOAD }, (_, k) => {
    const i = n * EVENTS_PER_PAYLOAD + k
    const from = String(5511900000000 + (i % 500))
    return { field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550100001', phone_number_id: PHONE_NUMBER_ID },
      contacts: [{ profile: { name: `Bench ${i % 500}` }, wa_id: from }],
      messages: [{ from, id: `wamid.bench.${run}.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `load ${i}` } }],
    } }
  })
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '104857293847561', changes }] })
}

/** PER_LEVEL requests, `concurrency` at a time; `send(n)` makes the n-th and resolves with its status. */
async function runLevel(concurrency: number, send: (n: number) => Promise<number>) {
  const latencies: number[] = []
  let next = 0
  let rejected = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < PER_LEVEL) {
        const n = next++
        const t0 = performance.now()
        const status = await send(n)
        latencies.push(performance.now() - t0)
        if (status !== 200) rejected++
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { rejected, perSecond: PER_LEVEL / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

/**
 * Processing runs after each acknowledgement: waits until no stored event is left unprocessed and the
 * run's messages are all there (up to 2 minutes), then counts the run's stored events and messages.
 */
async function drain(db: Db, run: string, expectedMessages: number) {
  for (let i = 0; ; i++) {
    const [row] = await db.sql<{ stored: number; unprocessed: number; messages: number }[]>`
      select (select count(*)::int from public.webhook_events where payload::text like ${`%wamid.bench.${run}.%`}) as stored,
             (select count(*)::int from public.webhook_events where processed_at is null) as unprocessed,
             (select count(*)::int from public.messages where wamid like ${`wamid.bench.${run}.%`}) as messages`
    if ((row!.unprocessed === 0 && row!.messages >= expectedMessages) || i === 240) return { stored: row!.stored * EVENTS_PER_PAYLOAD, messages: row!.messages }
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function main() {
  const own = process.env.BENCH_URL ? null : await startBenchStack({ database: 'conversa_bench', dataDir: DATA_DIR, port: PORT })
  const base = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`
  const db = own && createDb(own.databaseUrl, { max: 1 })
  try {
    const secret = process.env.META_APP_SECRET ?? (await loadLocalSecrets(DATA_DIR)).META_APP_SECRET
    const url = new URL('/api/whatsapp/webhook', base)
    const health = new URL('/api/health', base)
    const run = Date.now().toString(36)
    const webhook = (runId: string, offset: number) => (n: number) => postWebhook(url, payload(offset + n, runId), secret)

    // Warm up both routes so compilation/JIT is not measured, and let the warm-up's events be processed
    // so that neither the health figures nor the cost carry that work.
    const warm = await runLevel(4, webhook(`${run}w`, 0)).catch(() => undefined)
    await runLevel(4, () => request(health, 'GET')).catch(() => undefined)
    if (db) await drain(db, `${run}w`, warm ? (PER_LEVEL - warm.rejected) * EVENTS_PER_PAYLOAD : 0)

    // The health route first, on the quiet app; the cost meter then covers the webhook levels alone.
    const healthRows = []
    for (const c of LEVELS) healthRows.push(await runLevel(c, () => request(health, 'GET')))
    const meter = own && (await startCostMeter(own, own.databaseUrl))
    const rows = []
    for (const [i, c] of LEVELS.entries()) {
      const w = await runLevel(c, webhook(run, i * PER_LEVEL))
      const h = healthRows[i]!
      rows.push({
        concurrency: c,
        requests: PER_LEVEL,
        'events/payload': EVENTS_PER_PAYLOAD,
        'rejected (webhook / health)': `${w.rejected} / ${h.rejected}`,
        'events/s': Math.round(w.perSecond * EVENTS_PER_PAYLOAD),
        'webhook req/s': Math.round(w.perSecond),
        'health req/s': Math.round(h.perSecond),
        'webhook ÷ health (≥ 0.8 at 8)': Number((w.perSecond / h.perSecond).toFixed(2)),
        'webhook p50': Number(w.p50.toFixed(1)),
        'webhook p99 (< 50 at 8)': Number(w.p99.toFixed(1)),
        'health p99': Number(h.p99.toFixed(1)),
      })
    }
    console.log('\nwebhook ingest — accepted events/s and acknowledgement latency (ms) against GET /api/health at the same concurrency; goals at concurrency 8')
    console.table(rows)

    if (db && meter) {
      const sent = LEVELS.length * PER_LEVEL * EVENTS_PER_PAYLOAD
      const { stored, messages } = await drain(db, run, sent)
      console.log(`events sent ${sent} · stored ${stored} · messages ${messages} · lost ${sent - messages}`)
      console.log(`\n${formatCost(await meter.stop(), sent, 'event')}`)
      if (messages !== sent) process.exitCode = 1
    }
  } finally {
    await db?.end()
    await own?.stop()
    agent.destroy()
  }
}

await main()
