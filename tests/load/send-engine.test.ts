// The send engine under load against the Meta emulator: many numbers at their own MPS, every message sent
// once; two workers sharing the numbers' rates; a number Meta throttles harder than its tier says; a
// failing number's breaker while the others keep their pace; a worker killed with SIGKILL mid-run and
// another finishing the job, resending only what was in doubt.
// What is asserted is what the engine controls: when it hands each send to Meta (no more than the MPS in
// any sliding second, per worker; no faster than the MPS over a run, for workers together), that each
// message reaches Meta once, and that a 130429 or 131056 is absorbed. When the sends *arrive* is also up
// to the machine's scheduler: `npm run bench:send` prints Meta's rejections, which should be zero on a
// quiet machine.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createSendEngine, type SendEngine } from '@/server/sending/engine'
import { breakerKey, throughputKey } from '@/server/sending/engine-keys'
import { enqueueSends } from '@/server/sending/hand-off'
import { sendsTotal } from '@/server/sending/queue-stats'
import { sendQueueFor } from '@/core/sending/job-queue'
import { pacedRate } from '@/core/sending/paced-rate'
import { createSendWorker, DEFAULT_SEND_WORKER_OPTIONS, type SendWorker, type SendWorkerOptions } from '@/server/sending/send-worker'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'
import { TEST_ENCRYPTION_KEY } from '../integration/support/whatsapp-tenant'
import { seedFleet, sentCounts, startFleetEmulator, type FleetEmulator, type FleetNumber } from './support/fleet'
import { busiestSecond } from './support/timing'

const driver = (process.env.LOAD_QUEUE_DRIVER ?? 'postgres') as 'postgres' | 'upstash'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface EmulatorStats {
  numbers: Record<string, { accepted: number; rejected: Record<string, number> }>
}
// When each send left a worker for Meta, per phone number id: the Graph client's fetch notes the time.
type Departures = Map<string, number[]>
function noteDepartures(departures: Departures): typeof globalThis.fetch {
  return (input, init) => {
    const found = /\/(\d+)\/messages$/.exec(String(input))
    if (found && init?.method === 'POST') departures.set(found[1]!, [...(departures.get(found[1]!) ?? []), Date.now()])
    return globalThis.fetch(input, init)
  }
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

  const workerFor = (emu: FleetEmulator, options: Partial<SendWorkerOptions>, departures: Departures = new Map()) =>
    createSendWorker(
      { db: t.db, graph: createGraphClient({ baseUrl: emu.url, version: 'v23.0', fetch: noteDepartures(departures) }), encryptionKey: TEST_ENCRYPTION_KEY, ...engine },
      options,
    )

  /** Runs in-process workers until `done`, stopping and awaiting them also when it throws. */
  async function runWorkers<T>(workers: SendWorker[], done: () => Promise<T>): Promise<T> {
    workers.forEach((w) => void w.start())
    try {
      return await done()
    } finally {
      await Promise.all(workers.map((w) => w.stop()))
    }
  }

  /** Each message of the numbers reached Meta once: Meta accepted as many as there are, each has its own wamid. */
  async function expectEachSentOnce(numbers: FleetNumber[]) {
    const stats = await emulatorStats(emulator!)
    for (const n of numbers) expect(stats.numbers[n.phoneNumberId]!.accepted, `sends on ${n.phoneNumberId}`).toBe(n.messages)
    const total = numbers.reduce((sum, n) => sum + n.messages, 0)
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: total, failed: 0, open: 0 })
    const [wamids] = await t.db.sql<{ distinct: number }[]>`
      select count(distinct m.wamid)::int as distinct from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
      where n.phone_number_id = any(${numbers.map((n) => n.phoneNumberId)}::text[])`
    expect(wamids!.distinct).toBe(total)
    return stats
  }

  it('sends 20,000 messages over 4 numbers at their MPS, each message once', async () => {
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

    const departures: Departures = new Map()
    const worker = workerFor(emulator, { ...fastRetries, pairIntervalMs: 600, pairBurst: 2 }, departures)
    await runWorkers([worker], () =>
      waitUntil(async () => {
        const c = await sentCounts(t.db, numbers)
        if (process.env.LOAD_PROGRESS) console.log(JSON.stringify({ ...c, ...worker.counters, perNumber: undefined, s: (Date.now() - started) / 1000, q: await sendsTotal(engine.queue) }))
        return c.open === 0
      }, 90_000, 'every message to be sent'),
    )
    const seconds = (Date.now() - started) / 1000

    const stats = await expectEachSentOnce(numbers)
    const report = []
    for (const n of numbers) {
      const s = stats.numbers[n.phoneNumberId]!
      const sent = departures.get(n.phoneNumberId)!
      // Every attempt counts, the refused ones too: the engine never hands Meta more than the MPS in a second.
      expect(sent.length).toBe(s.accepted + Object.values(s.rejected).reduce((a, b) => a + b, 0))
      expect(busiestSecond(sent), `sends handed to Meta in one second for ${n.phoneNumberId}`).toBeLessThanOrEqual(n.mps)
      report.push({
        phoneNumberId: n.phoneNumberId,
        mps: n.mps,
        accepted: s.accepted,
        'busiest second sent': busiestSecond(sent),
        'busiest second at Meta': busiestSecond(await sentTimes(emulator, n.phoneNumberId)),
        'rejected (retried)': JSON.stringify(s.rejected),
      })
    }
    console.table(report)
    console.log(`20,000 messages in ${seconds.toFixed(1)} s (${driver})`)
  }, 120_000)

  it("two workers on the same numbers together keep each number's MPS", async () => {
    const numbers: FleetNumber[] = [
      { phoneNumberId: '340000000000001', mps: 100, messages: 800 },
      { phoneNumberId: '340000000000002', mps: 200, messages: 1_600 },
    ]
    emulator = await startFleetEmulator(numbers)
    await seedFleet(t.db, numbers).then(enqueueFleet)
    const departures: Departures[] = [new Map(), new Map()]
    const workers = departures.map((d) => workerFor(emulator!, fastRetries, d))
    const started = Date.now()
    await runWorkers(workers, () => waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'both workers to finish'))
    // Both took part, and nobody's message was lost or repeated.
    expect(workers.every((w) => w.counters.sent > 0)).toBe(true)
    const stats = await expectEachSentOnce(numbers)
    for (const n of numbers) {
      const each = departures.map((d) => d.get(n.phoneNumberId) ?? [])
      // Each worker keeps to the MPS within any second on its own clock…
      for (const sent of each) expect(busiestSecond(sent)).toBeLessThanOrEqual(n.mps)
      // …and together they share it. Both reserve throughput slots from one store, spaced for the paced
      // rate and none before the workers started; a send never leaves before its slot (a late timer only
      // makes it later), so a slow machine cannot break this. Two workers each pacing alone would take half.
      const all = each.flat().sort((a, b) => a - b)
      const paced = pacedRate(n.mps, fastRetries.rateHeadroom!)
      const tookMs = all.at(-1)! - started
      console.log(
        `${n.phoneNumberId}: ${each.map((e) => e.length).join(' + ')} sends in ${(tookMs / 1000).toFixed(2)} s for ${n.mps} MPS; ` +
          `busiest second sent ${busiestSecond(all)}, at Meta ${busiestSecond(await sentTimes(emulator, n.phoneNumberId))}; rejected (retried) ${JSON.stringify(stats.numbers[n.phoneNumberId]!.rejected)}`,
      )
      expect(tookMs).toBeGreaterThanOrEqual(((all.length - 1) * 1000) / paced - 2)
    }
  }, 120_000)

  it('slows a number down when Meta answers 130429, losing and repeating nothing', async () => {
    // Meta lets this number send 40 a second although its tier says 400: every second brings 130429s.
    const numbers: FleetNumber[] = [{ phoneNumberId: '360000000000001', mps: 40, messages: 600 }]
    emulator = await startFleetEmulator(numbers)
    await seedFleet(t.db, numbers).then(enqueueFleet)
    await t.db.sql`update public.whatsapp_numbers set throughput_mps = 400 where phone_number_id = ${numbers[0]!.phoneNumberId}`
    const worker = workerFor(emulator, fastRetries)
    await runWorkers([worker], () => waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 90_000, 'every message to be sent'))
    const stats = await expectEachSentOnce(numbers)
    const throttled = stats.numbers[numbers[0]!.phoneNumberId]!.rejected['130429'] ?? 0
    expect(throttled).toBeGreaterThan(0)
    expect(worker.counters.retried).toBe(throttled)
    // The number's rate was cut below what its tier allows and is still recovering.
    const key = throughputKey(numbers[0]!.phoneNumberId)
    expect((await engine.pacer.rateStates([key]))[key]!.factor).toBeLessThan(1)
    console.log(`a number throttled to a tenth of its tier: ${throttled} 130429s, each message retried until sent once`)
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
    const departures: Departures = new Map()
    const worker = workerFor(emulator, fastRetries, departures)
    const phaseOf = async (n: FleetNumber) => (await engine.breaker.states([breakerKey(n.phoneNumberId)]))[breakerKey(n.phoneNumberId)]!.phase
    const [failing, ...healthy] = numbers

    // Sampled while it runs: the failing number's breaker opens; the healthy numbers' never leave closed.
    const phases = new Map<string, Set<string>>(numbers.map((n) => [n.phoneNumberId, new Set<string>()]))
    let healthySeconds = 0
    await runWorkers([worker], async () => {
      await waitUntil(async () => {
        for (const n of numbers) phases.get(n.phoneNumberId)!.add(await phaseOf(n))
        const [row] = await t.db.sql<{ open: number }[]>`
          select count(*)::int as open from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
          where n.phone_number_id = any(${healthy.map((n) => n.phoneNumberId)}::text[]) and m.status in ('pending', 'queued')`
        return row!.open === 0
      }, 60_000, 'the healthy numbers to finish')
      healthySeconds = (Date.now() - started) / 1000
      await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'the failing number to recover')
    })
    expect([...phases.get(failing!.phoneNumberId)!]).toContain('open')
    const stats = await expectEachSentOnce(numbers)
    expect(await phaseOf(failing!)).toBe('closed')
    expect(stats.numbers[failing!.phoneNumberId]!.rejected['131000']).toBeGreaterThan(0)
    // The failing neighbour did not hold the healthy numbers back: their breakers stayed closed, Meta
    // refused none of their sends for any fault, and each left at its own pace, no faster than its MPS.
    // (A 130429 there says when the sends arrived, which a busy machine bunches: bench:send counts those.)
    for (const n of healthy) {
      expect([...phases.get(n.phoneNumberId)!]).toEqual(['closed'])
      const { rejected } = stats.numbers[n.phoneNumberId]!
      expect(Object.keys(rejected).filter((code) => code !== '130429')).toEqual([])
      // Each message left once, and once more for each 130429 it was retried after.
      expect(departures.get(n.phoneNumberId)).toHaveLength(n.messages + (rejected['130429'] ?? 0))
      expect(busiestSecond(departures.get(n.phoneNumberId)!)).toBeLessThanOrEqual(n.mps)
    }
    console.log(
      `healthy numbers done in ${healthySeconds.toFixed(1)} s (8 s at their MPS); failing number rejected ${stats.numbers[failing!.phoneNumberId]!.rejected['131000']} attempts before recovering`,
    )
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

  it('loses nothing when a worker is killed with SIGKILL mid-run; only the sends in doubt at the kill may go twice', async () => {
    const numbers: FleetNumber[] = [{ phoneNumberId: '330000000000001', mps: 400, messages: 4_000 }]
    emulator = await startFleetEmulator(numbers)
    const fleet = await seedFleet(t.db, numbers)
    await enqueueFleet(fleet)
    const batchSize = 100
    const startWorker = () => spawnWorker(emulator!.url, batchSize)

    const first = startWorker()
    try {
      await waitUntil(async () => (await sentCounts(t.db, numbers)).sent >= 1_500, 60_000, 'the first worker to send 1,500')
    } finally {
      first.kill('SIGKILL')
      await exited(first)
    }
    const atKill = (await sentCounts(t.db, numbers)).sent
    // The jobs the dead worker held (it may have handed them to Meta without recording an answer): only these may go twice.
    const doubt = (await engine.queue.stats(sendQueueFor(numbers[0]!.phoneNumberId))).processing
    const acceptedAtKill = (await emulatorStats(emulator)).numbers[numbers[0]!.phoneNumberId]!.accepted

    const second = startWorker()
    try {
      await waitUntil(async () => (await sentCounts(t.db, numbers)).open === 0, 60_000, 'the second worker to finish')
    } finally {
      second.kill('SIGTERM')
      await exited(second)
    }
    const accepted = (await emulatorStats(emulator)).numbers[numbers[0]!.phoneNumberId]!.accepted
    const duplicates = accepted - 4_000
    console.log(`killed at ${atKill} recorded, ${acceptedAtKill} at Meta, ${doubt} in doubt; Meta accepted ${accepted} for 4,000 messages: ${duplicates} duplicate sends`)
    expect(await sentCounts(t.db, numbers)).toEqual({ sent: 4_000, failed: 0, open: 0 })
    // Everything recorded was never sent again: a message went twice only if Meta took it unrecorded.
    expect(duplicates).toBeGreaterThanOrEqual(0)
    expect(duplicates).toBeLessThanOrEqual(Math.min(doubt, acceptedAtKill - atKill))
    // A worker never holds more than it has booked slots for, at most maxScheduleAheadMs of the number's
    // sends (the rest of a chunk goes straight back), plus the chunk it is booking.
    expect(doubt).toBeLessThanOrEqual((numbers[0]!.mps * DEFAULT_SEND_WORKER_OPTIONS.maxScheduleAheadMs) / 1000 + batchSize)
  }, 120_000)

  it('on SIGTERM a worker finishes what it claimed and exits; the next sends the rest with no duplicate', async () => {
    const numbers: FleetNumber[] = [{ phoneNumberId: '350000000000001', mps: 400, messages: 3_000 }]
    emulator = await startFleetEmulator(numbers)
    await seedFleet(t.db, numbers).then(enqueueFleet)
    const queue = sendQueueFor(numbers[0]!.phoneNumberId)

    const first = spawnWorker(emulator.url, 100)
    try {
      await waitUntil(async () => (await sentCounts(t.db, numbers)).sent >= 800, 60_000, 'the first worker to send 800')
    } finally {
      first.kill('SIGTERM')
    }
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
