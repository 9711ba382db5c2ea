// The send engine under load against the Meta emulator: many numbers at their own MPS with no 130429 or
// 131056 and every message sent once; a failing number's breaker while the others keep their pace; a
// worker killed with SIGKILL mid-run and another finishing the job with a bounded number of duplicates.
// Runs serially (its own vitest project) so timings are not disturbed by other test files.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createSendEngine, type SendEngine } from '@/server/sending/engine'
import { breakerKey } from '@/server/sending/engine-keys'
import { enqueueSends } from '@/server/sending/hand-off'
import { familyStats } from '@/server/sending/queue-stats'
import { sendQueueFor } from '@/core/sending/job-queue'
import { createSendWorker, type SendWorkerOptions } from '@/server/sending/send-worker'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'
import { TEST_ENCRYPTION_KEY } from '../integration/support/whatsapp-tenant'
import { seedFleet, sentCounts, startFleetEmulator, type FleetEmulator, type FleetNumber } from './support/fleet'
import { busiestSecond } from './support/timing'

const driver = (process.env.LOAD_QUEUE_DRIVER ?? 'postgres') as 'postgres' | 'upstash'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface EmulatorStats {
  numbers: Record<string, { accepted: number; rejected: Record<string, number> }>
}
const emulatorStats = async (emulator: FleetEmulator) => (await (await fetch(`${emulator.url}/control/stats`)).json()) as EmulatorStats
const sentTimes = async (emulator: FleetEmulator, phoneNumberId: string) =>
  ((await (await fetch(`${emulator.url}/control/sent?phoneNumberId=${phoneNumberId}`)).json()) as { data: { acceptedAt: string }[] }).data
    .map((s) => Date.parse(s.acceptedAt))
    .sort((a, b) => a - b)


async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

describe(`send engine under load (${driver})`, () => {
  let t: TestDatabase
  let engine: SendEngine
  let emulator: FleetEmulator | undefined
  // On this two-core machine the emulator, the worker and Postgres compete for CPU, and a send's arrival
  // at the emulator trails its departure by up to ~40 ms more than its neighbours'. Meta's edge sees
  // network jitter the same way; the margin here covers this harness's, so the strict sliding-window
  // check below tests the pacing, not the scheduler.
  const fastRetries: Partial<SendWorkerOptions> = {
    rateHeadroom: 0.06,
    retry: { baseMs: 200, capMs: 2_000, maxAttempts: 20 },
    breaker: { threshold: 5, openMs: 1_000 },
    idleMinMs: 10,
    idleMaxMs: 50,
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    engine = createSendEngine({ QUEUE_DRIVER: driver, UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN }, t.db.sql)
  })
  afterEach(async () => {
    await emulator?.stop()
    emulator = undefined
    for (const queue of await engine.queue.queues('sends:')) await engine.queue.clear(queue, 'all')
  })
  afterAll(() => t.drop())

  // Each number's messages into its own send queue.
  const enqueueFleet = (fleet: { messages: { id: string; phoneNumberId: string }[] }) => enqueueSends(engine.queue, fleet.messages)

  const workerFor = (emu: FleetEmulator, options: Partial<SendWorkerOptions>) =>
    createSendWorker({ db: t.db, graph: createGraphClient({ baseUrl: emu.url, version: 'v23.0' }), encryptionKey: TEST_ENCRYPTION_KEY, ...engine }, options)

  it('sends 20,000 messages over 4 numbers at their MPS: no 130429, no 131056, each message once', async () => {
    const numbers: FleetNumber[] = [
      { phoneNumberId: '310000000000001', mps: 80, messages: 1_333 },
      { phoneNumberId: '310000000000002', mps: 160, messages: 2_667 },
      { phoneNumberId: '310000000000003', mps: 320, messages: 5_333 },
      { phoneNumberId: '310000000000004', mps: 640, messages: 10_667 },
    ]
    // The emulator's pair rate is strict (2 per second per customer) and the smallest number writes to
    // each of its customers four times, so the worker must hold those messages back itself.
    emulator = await startFleetEmulator(numbers, { pairRateWindowMs: 500, pairRateBurst: 2 })
    const fleet = await seedFleet(t.db, numbers, { customersPerNumber: { '310000000000001': 333 } })
    const started = Date.now()
    await enqueueFleet(fleet)

    const worker = workerFor(emulator, { ...fastRetries, pairIntervalMs: 600, pairBurst: 2 })
    void worker.start()
    await waitUntil(async () => {
      const c = await sentCounts(t.db, numbers)
      if (process.env.LOAD_PROGRESS) console.log(JSON.stringify({ ...c, ...worker.counters, perNumber: undefined, s: (Date.now() - started) / 1000, q: await familyStats(engine.queue, 'sends') }))
      return c.open === 0
    }, 90_000, 'every message to be sent')
    await worker.stop()
    const seconds = (Date.now() - started) / 1000

    const stats = await emulatorStats(emulator)
    const report = []
    for (const n of numbers) {
      const s = stats.numbers[n.phoneNumberId]!
      const busiest = busiestSecond(await sentTimes(emulator, n.phoneNumberId))
      report.push({ phoneNumberId: n.phoneNumberId, mps: n.mps, accepted: s.accepted, rejected: JSON.stringify(s.rejected), busiestSecond: busiest })
      expect(s.rejected['130429'] ?? 0, `130429 on ${n.phoneNumberId}`).toBe(0)
      expect(s.rejected['131056'] ?? 0, `131056 on ${n.phoneNumberId}`).toBe(0)
      expect(s.accepted, `sends on ${n.phoneNumberId}`).toBe(n.messages)
      expect(busiest).toBeLessThanOrEqual(n.mps)
    }
    console.table(report)
    console.log(`20,000 messages in ${seconds.toFixed(1)} s (${driver})`)
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: 20_000, failed: 0, open: 0 })
    const [wamids] = await t.db.sql<{ distinct: number }[]>`
      select count(distinct m.wamid)::int as distinct from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
      where n.phone_number_id = any(${numbers.map((n) => n.phoneNumberId)}::text[])`
    expect(wamids!.distinct).toBe(20_000)
  }, 120_000)

  it("two workers on the same numbers together keep each number's MPS", async () => {
    const numbers: FleetNumber[] = [
      { phoneNumberId: '340000000000001', mps: 100, messages: 800 },
      { phoneNumberId: '340000000000002', mps: 200, messages: 1_600 },
    ]
    emulator = await startFleetEmulator(numbers)
    await seedFleet(t.db, numbers).then(enqueueFleet)
    const workers = [workerFor(emulator, fastRetries), workerFor(emulator, fastRetries)]
    workers.forEach((w) => void w.start())
    await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'both workers to finish')
    await Promise.all(workers.map((w) => w.stop()))
    // Both took part, and neither Meta's limit nor anyone's message was exceeded or repeated.
    expect(workers.every((w) => w.counters.sent > 0)).toBe(true)
    const stats = await emulatorStats(emulator)
    for (const n of numbers) {
      expect(stats.numbers[n.phoneNumberId]!.rejected['130429'] ?? 0).toBe(0)
      expect(stats.numbers[n.phoneNumberId]!.accepted).toBe(n.messages)
      expect(busiestSecond(await sentTimes(emulator, n.phoneNumberId))).toBeLessThanOrEqual(n.mps)
    }
    console.log(`two workers: ${workers.map((w) => w.counters.sent).join(' + ')} sends`)
  }, 120_000)

  it("opens a failing number's breaker while the others keep their pace, and recovers it", async () => {
    const numbers: FleetNumber[] = [
      { phoneNumberId: '320000000000001', mps: 50, messages: 400 },
      { phoneNumberId: '320000000000002', mps: 50, messages: 400 },
      { phoneNumberId: '320000000000003', mps: 50, messages: 400 },
    ]
    emulator = await startFleetEmulator(numbers)
    const fleet = await seedFleet(t.db, numbers)
    await enqueueFleet(fleet)
    // Meta answers 500 (131000) for the first number for three seconds.
    await fetch(`${emulator.url}/control/fail-number`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumberId: numbers[0]!.phoneNumberId, code: 131000, durationMs: 3_000 }),
    })
    const started = Date.now()
    const worker = workerFor(emulator, fastRetries)
    void worker.start()

    let sawOpen = false
    const healthyDone = async () => {
      const [row] = await t.db.sql<{ open: number }[]>`
        select count(*)::int as open from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
        where n.phone_number_id in (${numbers[1]!.phoneNumberId}, ${numbers[2]!.phoneNumberId}) and m.status in ('pending', 'queued')`
      const state = (await engine.breaker.states([breakerKey(numbers[0]!.phoneNumberId)]))[breakerKey(numbers[0]!.phoneNumberId)]!
      sawOpen ||= state.phase !== 'closed'
      return row!.open === 0
    }
    await waitUntil(healthyDone, 30_000, 'the healthy numbers to finish')
    const healthySeconds = (Date.now() - started) / 1000
    expect(sawOpen).toBe(true)
    // 400 messages at 50 MPS take 8 s: the failing neighbour must not slow the healthy numbers down.
    expect(healthySeconds).toBeLessThan(8 * 1.35)

    await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'the failing number to recover')
    await worker.stop()
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: 1_200, failed: 0, open: 0 })
    expect((await engine.breaker.states([breakerKey(numbers[0]!.phoneNumberId)]))[breakerKey(numbers[0]!.phoneNumberId)]!.phase).toBe('closed')
    const stats = await emulatorStats(emulator)
    expect(stats.numbers[numbers[0]!.phoneNumberId]!.rejected['131000']).toBeGreaterThan(0)
    console.log(`healthy numbers done in ${healthySeconds.toFixed(1)} s; failing number rejected ${stats.numbers[numbers[0]!.phoneNumberId]!.rejected['131000']} attempts before recovering`)
  }, 120_000)

  // A worker process as deployed: node with the tsx loader (not the tsx launcher, so a signal reaches
  // the worker itself and SIGKILL leaves no orphan), on this file's database and the given emulator.
  function spawnWorker(emulatorUrl: string, batchSize: number): ChildProcess {
    const env = {
      ...process.env,
      DATABASE_URL: t.url,
      QUEUE_DRIVER: driver,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      JWT_SECRET: 'load-test-secret-load-test-secret-0123',
      META_APP_SECRET: 'load-test-app-secret',
      META_VERIFY_TOKEN: 'load-test-verify',
      META_GRAPH_BASE_URL: emulatorUrl,
      SEND_VISIBILITY_MS: '2000',
      // This emulator posts no status webhooks, so nothing adopts a killed worker's unrecorded sends: they
      // are sent again once in doubt this long — the bounded duplicates the kill test measures.
      SEND_IN_DOUBT_MS: '2000',
      SEND_BATCH_SIZE: String(batchSize),
      STORAGE_DIR: '.data/load-media',
      LOG_LEVEL: 'warn',
    }
    return spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))))

  it('loses nothing when a worker is killed with SIGKILL mid-run; duplicates stay within the in-flight batch', async () => {
    const numbers: FleetNumber[] = [{ phoneNumberId: '330000000000001', mps: 400, messages: 4_000 }]
    emulator = await startFleetEmulator(numbers)
    const fleet = await seedFleet(t.db, numbers)
    await enqueueFleet(fleet)
    const batchSize = 100
    const startWorker = () => spawnWorker(emulator!.url, batchSize)

    const first = startWorker()
    await waitUntil(async () => (await sentCounts(t.db, numbers)).sent >= 1_500, 60_000, 'the first worker to send 1,500')
    first.kill('SIGKILL')
    await exited(first)
    const atKill = (await sentCounts(t.db, numbers)).sent

    const second = startWorker()
    try {
      await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'the second worker to finish')
    } finally {
      second.kill('SIGTERM')
      await exited(second)
    }
    const accepted = (await emulatorStats(emulator)).numbers[numbers[0]!.phoneNumberId]!.accepted
    const duplicates = accepted - 4_000
    console.log(`killed at ${atKill} sent; Meta accepted ${accepted} for 4,000 messages: ${duplicates} duplicate sends`)
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: 4_000, failed: 0, open: 0 })
    expect(duplicates).toBeGreaterThanOrEqual(0)
    expect(duplicates).toBeLessThanOrEqual(batchSize)
  }, 120_000)

  it('on SIGTERM a worker finishes what it claimed and exits; the next sends the rest with no duplicate', async () => {
    const numbers: FleetNumber[] = [{ phoneNumberId: '350000000000001', mps: 400, messages: 3_000 }]
    emulator = await startFleetEmulator(numbers)
    await seedFleet(t.db, numbers).then(enqueueFleet)
    const queue = sendQueueFor(numbers[0]!.phoneNumberId)

    const first = spawnWorker(emulator.url, 100)
    await waitUntil(async () => (await sentCounts(t.db, numbers)).sent >= 800, 60_000, 'the first worker to send 800')
    first.kill('SIGTERM')
    expect(await exited(first)).toBe(0)
    // Nothing is left claimed, and every send Meta accepted is recorded.
    expect((await engine.queue.stats(queue)).processing).toBe(0)
    const atStop = await sentCounts(t.db, numbers)
    expect((await emulatorStats(emulator)).numbers[numbers[0]!.phoneNumberId]!.accepted).toBe(atStop.sent)

    const second = spawnWorker(emulator.url, 100)
    try {
      await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'the second worker to finish')
    } finally {
      second.kill('SIGTERM')
      await exited(second)
    }
    console.log(`stopped at ${atStop.sent} sent; the second worker sent the other ${3_000 - atStop.sent}`)
    expect((await emulatorStats(emulator)).numbers[numbers[0]!.phoneNumberId]!.accepted).toBe(3_000)
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: 3_000, failed: 0, open: 0 })
  }, 120_000)
})
