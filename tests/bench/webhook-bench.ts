// `npm run bench:webhook`: signed Meta webhook payloads at rising concurrency against the app, then
// proof that nothing was lost (every accepted POST is a stored event, every message a row).
// Starts its own stack (production build when present) on a fresh database unless BENCH_URL is set.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'
import { createDb } from '@/server/db/create-db'
import { loadLocalSecrets } from '../../dev/local-secrets'
import { percentile } from '../load/support/timing'
import { startBenchStack } from './support/bench-stack'

const PER_LEVEL = Number(process.env.BENCH_REQUESTS ?? 4000)
const EVENTS_PER_PAYLOAD = Number(process.env.BENCH_EVENTS_PER_PAYLOAD ?? 1)
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,8,32,64').split(',').map(Number)
const PORT = Number(process.env.BENCH_PORT ?? 3200)
const DATA_DIR = '.data/bench'
const PHONE_NUMBER_ID = '106540352242922' // the demo number the launcher seeds

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

function post(url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
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


async function runLevel(url: URL, secret: string, concurrency: number, run: string, offset: number) {
  const latencies: number[] = []
  let next = 0
  let rejected = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < PER_LEVEL) {
        const n = offset + next++
        const body = payload(n, run)
        const t0 = performance.now()
        const status = await post(url, body, signWebhookBody(body, secret))
        latencies.push(performance.now() - t0)
        if (status !== 200) rejected++
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    concurrency,
    requests: PER_LEVEL,
    eventsPerPayload: EVENTS_PER_PAYLOAD,
    rejected,
    requestsPerSec: Math.round(PER_LEVEL / seconds),
    eventsPerSec: Math.round((PER_LEVEL * EVENTS_PER_PAYLOAD) / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  }
}

async function main() {
  const own = process.env.BENCH_URL ? null : await startBenchStack({ database: 'conversa_bench', dataDir: DATA_DIR, port: PORT })
  const base = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`
  const secret = process.env.META_APP_SECRET ?? (await loadLocalSecrets(DATA_DIR)).META_APP_SECRET
  const url = new URL('/api/whatsapp/webhook', base)
  const run = Date.now().toString(36)
  try {
    // Warm up the route so compilation/JIT is not measured.
    await runLevel(url, secret, 4, `${run}w`, 0).catch(() => undefined)
    const rows = []
    let offset = 0
    for (const c of LEVELS) {
      rows.push(await runLevel(url, secret, c, run, offset))
      offset += PER_LEVEL
    }
    console.log('\nwebhook ingest — accepted events/s and acknowledgement latency (ms)')
    console.table(rows.map((r) => ({ ...r, p50: r.p50.toFixed(1), p99: r.p99.toFixed(1) })))

    if (own) {
      const db = createDb(own.databaseUrl, { max: 1 })
      const sent = offset * EVENTS_PER_PAYLOAD
      // Processing runs after each acknowledgement; wait for it to drain before counting.
      let stored = 0
      let messages = 0
      for (let i = 0; i < 240; i++) {
        const [row] = await db.sql<{ stored: number; unprocessed: number; messages: number }[]>`
          select (select count(*)::int from public.webhook_events where payload::text like ${`%wamid.bench.${run}.%`}) as stored,
                 (select count(*)::int from public.webhook_events where processed_at is null) as unprocessed,
                 (select count(*)::int from public.messages where wamid like ${`wamid.bench.${run}.%`}) as messages`
        stored = row!.stored * EVENTS_PER_PAYLOAD
        messages = row!.messages
        if (row!.unprocessed === 0 && messages === sent) break
        await new Promise((r) => setTimeout(r, 500))
      }
      console.log(`events sent ${sent} · stored ${stored} · messages ${messages} · lost ${sent - messages}`)
      await db.end()
      if (messages !== sent) process.exitCode = 1
    }
  } finally {
    await own?.stop()
    agent.destroy()
  }
}

await main()
