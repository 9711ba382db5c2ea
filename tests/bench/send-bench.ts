// `npm run bench:send`: the send engine at Meta's top throughput tier, per adapter (Postgres, and
// Upstash through the REST bridge over the local Redis). A real worker process (worker/main.ts) drains
// the queues against the Meta emulator:
//   1. one number at a 1,000 MPS target for BENCH_SECONDS (default 30), fed at the target rate —
//      achieved/target, the busiest 1-second window, enqueue-to-sent latency p50/p99, worker RSS;
//   2. four numbers at 1,000 MPS each, pre-queued — aggregate rate and worker CPU per 1,000 messages.
// Needs the local PostgreSQL (TEST_DATABASE_URL) and, for the Upstash run, Redis on 127.0.0.1:6379.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { sendQueueFor } from '@/core/sending/job-queue'
import { createDb, type Db } from '@/server/db/create-db'
import { migrate } from '@/server/db/migrate'
import { createSendEngine, type SendEngine } from '@/server/sending/engine'
import { enqueueSends, sendJob } from '@/server/sending/hand-off'
import { startUpstashBridge } from '../../dev/upstash-bridge/server'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../integration/support/assert-local-database'
import { TEST_ENCRYPTION_KEY } from '../integration/support/whatsapp-tenant'
import { seedFleet, startFleetEmulator, type FleetEmulator, type FleetNumber } from '../load/support/fleet'
import { busiestSecond, percentile } from '../load/support/timing'
import { stoppable } from './support/bench-stack'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const TARGET = Number(process.env.BENCH_MPS ?? 1000)
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'postgres,upstash').split(',') as ('postgres' | 'upstash')[]
const REDIS_URL = 'redis://127.0.0.1:6379/11'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Sent {
  to: string
  acceptedAt: string
}



/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function usage(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  const ticks = Number(stat[11]) + Number(stat[12])
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  return { cpuSeconds: ticks / 100, rssMb: Math.round(rssKb / 1024) }
}

async function freshDatabase(name: string): Promise<{ db: Db; url: string }> {
  const base = testDatabaseUrl()
  assertLocalDatabase(base)
  const admin = createDb(base, { max: 1 })
  await admin.sql.unsafe(`drop database if exists ${name} with (force)`)
  await admin.sql.unsafe(`create database ${name}`)
  await admin.end()
  const url = withDatabase(base, name)
  const db = createDb(url, { max: 4 })
  await migrate(db.sql)
  return { db, url }
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  // Plain node with the tsx loader: one process, so /proc shows the worker itself.
  return spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/worker-prof'] : []), '--import', 'tsx', 'worker/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
}

async function sentBy(emulator: FleetEmulator, phoneNumberId: string): Promise<Sent[]> {
  return ((await (await fetch(`${emulator.url}/control/sent?phoneNumberId=${phoneNumberId}`)).json()) as { data: Sent[] }).data
}

// Cheap progress while the worker runs (the full send log is read once at the end).
async function acceptedBy(emulator: FleetEmulator, phoneNumberIds: string[]): Promise<number> {
  const stats = (await (await fetch(`${emulator.url}/control/stats`)).json()) as { numbers: Record<string, { accepted: number }> }
  return phoneNumberIds.reduce((sum, id) => sum + (stats.numbers[id]?.accepted ?? 0), 0)
}

async function runAdapter(adapter: 'postgres' | 'upstash') {
  const { db, url } = await freshDatabase(`conversa_bench_send_${adapter}`)
  const bridge = adapter === 'upstash' ? await startUpstashBridge({ port: 0, redisUrl: REDIS_URL, token: 'bench-token' }) : undefined
  const engineEnv = adapter === 'upstash' ? { UPSTASH_REDIS_REST_URL: bridge!.url, UPSTASH_REDIS_REST_TOKEN: 'bench-token' } : {}
  const engine: SendEngine = createSendEngine({ QUEUE_DRIVER: adapter, ...engineEnv }, db.sql)
  const single: FleetNumber[] = [{ phoneNumberId: '410000000000001', mps: TARGET, messages: TARGET * SECONDS }]
  const four: FleetNumber[] = [2, 3, 4, 5].map((i) => ({ phoneNumberId: `41000000000000${i}`, mps: TARGET, messages: Math.round((TARGET * SECONDS) / 2) }))
  const emulator = await startFleetEmulator([...single, ...four], { pairRateWindowMs: 0 })
  if (adapter === 'upstash') for (const q of await engine.queue.queues('')) await engine.queue.clear(q, 'all')
  const fleetSingle = await seedFleet(db, single)
  const fleetFour = await seedFleet(db, four)
  const worker = startWorker({
    ...process.env,
    ...engineEnv,
    DATABASE_URL: url,
    QUEUE_DRIVER: adapter,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    META_APP_SECRET: 'bench-app-secret',
    META_VERIFY_TOKEN: 'bench-verify',
    META_GRAPH_BASE_URL: emulator.url,
    STORAGE_DIR: '.data/bench-media',
    LOG_LEVEL: 'warn',
  })
  const stopWorker = stoppable(worker, 10_000)
  try {
    await sleep(1500)
    // 1. One number, fed at the target rate in 100 ms slices.
    const enqueuedAt = new Map<string, number>()
    const to = new Map((await db.sql<{ id: string; to: string }[]>`select id, content->>'to' as to from public.messages where id = any(${fleetSingle.messages.map((m) => m.id)}::uuid[])`).map((r) => [r.id, r.to]))
    const before1 = usage(worker.pid!)
    const started = performance.now()
    const slice = Math.round(TARGET / 10)
    for (let i = 0; i < fleetSingle.messages.length; i += slice) {
      const batch = fleetSingle.messages.slice(i, i + slice)
      const now = Date.now()
      for (const m of batch) enqueuedAt.set(to.get(m.id)!, now)
      await engine.queue.enqueue(sendQueueFor(single[0]!.phoneNumberId), batch.map((m) => sendJob(m.id)))
      const due = started + ((i + slice) / TARGET) * 1000
      await sleep(Math.max(0, due - performance.now()))
    }
    for (let i = 0; i < 600 && (await acceptedBy(emulator, [single[0]!.phoneNumberId])) < fleetSingle.messages.length; i++) await sleep(250)
    const after1 = usage(worker.pid!)
    const sent = await sentBy(emulator, single[0]!.phoneNumberId)
    const times = sent.map((s) => Date.parse(s.acceptedAt)).sort((a, b) => a - b)
    const latencies = sent.map((s) => Date.parse(s.acceptedAt) - enqueuedAt.get(s.to)!).sort((a, b) => a - b)
    // Achieved rate over the sending span, first to last acceptance.
    const span = (times.at(-1)! - times[0]!) / 1000
    const achieved = (sent.length - 1) / span

    // 2. Four numbers, everything queued up front.
    const before2 = usage(worker.pid!)
    const t2 = Date.now()
    await enqueueSends(engine.queue, fleetFour.messages)
    const ids4 = four.map((n) => n.phoneNumberId)
    for (let i = 0; i < 1200 && (await acceptedBy(emulator, ids4)) < fleetFour.messages.length; i++) await sleep(250)
    const after2 = usage(worker.pid!)
    const times4 = (await Promise.all(ids4.map((id) => sentBy(emulator, id)))).flat().map((s) => Date.parse(s.acceptedAt)).sort((a, b) => a - b)
    const sent4 = times4.length
    const span4 = ((times4.at(-1) ?? Date.now()) - (times4[0] ?? t2)) / 1000
    const stats = (await (await fetch(`${emulator.url}/control/stats`)).json()) as { numbers: Record<string, { rejected: Record<string, number> }> }
    const rejected = Object.values(stats.numbers).reduce((sum, n) => sum + Object.values(n.rejected).reduce((a, b) => a + b, 0), 0)

    return {
      adapter,
      [`1 number: achieved/target`]: (achieved / TARGET).toFixed(3),
      [`busiest 1 s (≤ ${TARGET})`]: busiestSecond(times),
      'latency p50 ms': percentile(latencies, 50),
      'latency p99 ms': percentile(latencies, 99),
      'worker RSS MB': after1.rssMb,
      'worker CPU s / 1k msgs (1 number)': (((after1.cpuSeconds - before1.cpuSeconds) / sent.length) * 1000).toFixed(2),
      '4 numbers: msgs/s': Math.round((sent4 - 1) / span4),
      'worker CPU s / 1k msgs (4 numbers)': (((after2.cpuSeconds - before2.cpuSeconds) / sent4) * 1000).toFixed(2),
      'Meta rejections (130429/131056/…)': rejected,
    }
  } finally {
    await stopWorker()
    await emulator.stop()
    await bridge?.stop()
    await db.end()
  }
}

const rows = []
for (const adapter of ADAPTERS) {
  console.log(`running ${adapter}: 1 number for ${SECONDS} s, then 4 numbers …`)
  rows.push(await runAdapter(adapter))
}
console.log(`\nsend engine — one worker, ${TARGET} MPS per number, ${SECONDS} s (${new Date().toISOString()})`)
console.table(rows)
