// The Upstash Redis adapters, through the real `@upstash/redis` client and the local REST bridge over
// Redis database 12 (flushed before and after, and used by nothing else): the three port contracts,
// then what is specific to Upstash (the client's JSON deserialization, batch sizes, key expiry).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from '@upstash/redis'
import { createUpstashCircuitBreaker } from '@/server/sending/upstash/upstash-circuit-breaker'
import { createUpstashJobQueue } from '@/server/sending/upstash/upstash-job-queue'
import { createUpstashPacer } from '@/server/sending/upstash/upstash-pacer'
import { startUpstashBridge, type UpstashBridge } from '../../../dev/upstash-bridge/server'
import { breakerContract } from './breaker-contract'
import { jobQueueContract } from './job-queue-contract'
import { pacerContract } from './pacer-contract'

const REDIS_URL = 'redis://127.0.0.1:6379/12'
const TOKEN = 'upstash-adapters-test-token'
const PREFIX = 'upstash-adapters-test'

let bridge: UpstashBridge
let redis: Redis

beforeAll(async () => {
  bridge = await startUpstashBridge({ port: 0, redisUrl: REDIS_URL, token: TOKEN })
  redis = new Redis({ url: bridge.url, token: TOKEN, enableTelemetry: false })
  await redis.flushdb()
})

afterAll(async () => {
  await redis?.flushdb()
  await bridge?.stop()
})

jobQueueContract('upstash', () => createUpstashJobQueue(redis, PREFIX))
pacerContract('upstash', () => createUpstashPacer(redis, PREFIX))
breakerContract('upstash', () => createUpstashCircuitBreaker(redis, PREFIX))

describe('Upstash adapters: specifics', () => {
  // Keys of one test's own, so that it sees nothing another test left behind.
  const ownKey = (name: string) => `${name}:${randomUUID()}`
  const ownSendQueue = () => `sends:${randomUUID()}` as const

  it('keeps ids and payloads that look like other JSON values as they were', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    const queue = ownSendQueue()
    const jobs = [
      { id: '123', payload: '123' },
      { id: '1e3', payload: 1000 },
      { id: 'true', payload: 'true' },
      { id: 'null', payload: null },
      { id: '"quoted"', payload: '"quoted"' },
      { id: '007', payload: ['007', { big: '12345678901234567890' }] },
      { id: 'OK', payload: 'OK' },
    ]
    expect(await q.enqueue<unknown>(queue, jobs)).toBe(jobs.length)
    const claimed = await q.claim<unknown>(queue, 10, 30_000)
    expect(Object.fromEntries(claimed.map((j) => [j.id, j.payload]))).toEqual(Object.fromEntries(jobs.map((j) => [j.id, j.payload])))
    for (const job of claimed) {
      expect(typeof job.id).toBe('string')
      expect(typeof job.lease).toBe('string')
      expect(await q.deadLetter(queue, job, job.id)).toBe(true)
    }
    const dead = await q.listDead<unknown>(queue, 10)
    expect(dead.map((d) => [d.id, d.reason]).sort()).toEqual(jobs.map((j) => [j.id, j.id]).sort())
    expect(dead.find((d) => d.id === '123')!.payload).toBe('123')
    expect(await q.retryDead(queue, '123')).toBe(1)
    expect(await q.clear(queue, 'all')).toBe(jobs.length)
  })

  it('enqueues more than one script call holds, in one request, once per id', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    const sends = ownSendQueue()
    const jobs = Array.from({ length: 2_500 }, (_, i) => ({ id: `bulk-${i}`, payload: { i } }))
    expect(await q.enqueue(sends, jobs)).toBe(2_500)
    expect(await q.enqueue(sends, [...jobs.slice(0, 1_200), { id: 'bulk-new', payload: { i: -1 } }])).toBe(1)
    expect(await q.stats(sends)).toEqual({ pending: 2_501, delayed: 0, processing: 0, dead: 0 })
    const claimed = await q.claim<{ i: number }>(sends, 1_500, 30_000)
    expect(claimed).toHaveLength(1_500)
    expect(new Set(claimed.map((j) => j.lease)).size).toBe(1_500)
    expect(await q.clear(sends, 'all')).toBe(2_501)
  })

  it('sweeps dead and stuck jobs in batches larger than one script call', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    const sends = ownSendQueue()
    await q.enqueue(sends, Array.from({ length: 2_100 }, (_, i) => ({ id: `sweep-${i}`, payload: {} })))
    const first = await q.claim(sends, 2_100, 30_000)
    await Promise.all(first.map((j) => q.deadLetter(sends, j, 'x')))
    expect(await q.retryDead(sends)).toBe(2_100)
    await q.claim(sends, 2_100, 50)
    await new Promise((r) => setTimeout(r, 100))
    expect(await q.recoverStuck(sends)).toBe(2_100)
    const again = await q.claim(sends, 2_100, 30_000)
    await Promise.all(again.map((j) => q.deadLetter(sends, j, 'y')))
    expect(await q.clear(sends, 'dead')).toBe(2_100)
    expect(await q.stats(sends)).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
  })

  it('lets idle pacer and breaker keys expire', async () => {
    const pacer = createUpstashPacer(redis, PREFIX)
    const breaker = createUpstashCircuitBreaker(redis, PREFIX)
    const k = ownKey('ttl')
    const started = performance.now()
    await pacer.reserve(k, 10, 1)
    await pacer.slowDown(k, 0.5, 5_000)
    await pacer.tryTake(k, 1_000, 2)
    await pacer.admitUnique(k, 'member', 5, 10_000)
    await breaker.failure(k, { threshold: 3, openMs: 1_000 })
    const ttl = async (key: string) => redis.pttl(`${PREFIX}:${key}`)
    // What a script set, less the time since (and a millisecond of rounding).
    const setTo = (ms: number) => ms - (performance.now() - started) - 1
    expect(await ttl(`pace:rate:${k}`)).toBeGreaterThan(5_000)
    expect(await ttl(`pace:rate:${k}`)).toBeLessThanOrEqual(5_000 + 60_000)
    expect(await ttl(`pace:pair:${k}`)).toBeGreaterThanOrEqual(setTo(1_000 + 1_000))
    expect(await ttl(`pace:pair:${k}`)).toBeLessThanOrEqual(1_000 + 1_000)
    expect(await ttl(`pace:unique:${k}`)).toBeGreaterThanOrEqual(setTo(10_000 + 1_000))
    expect(await ttl(`pace:unique:${k}`)).toBeLessThanOrEqual(11_000)
    expect(await ttl(`breaker:${k}`)).toBeGreaterThan(0)
    await breaker.success(k)
    expect(await redis.exists(`${PREFIX}:breaker:${k}`)).toBe(0)
  })

  it('takes stragglers reported while open as neither pushing the probe back nor closing', async () => {
    const breaker = createUpstashCircuitBreaker(redis, PREFIX)
    const policy = { threshold: 1, openMs: 150 }
    const k = ownKey('late')
    const opened = await breaker.failure(k, policy)
    expect(opened).toMatchObject({ phase: 'open', failures: 1 })
    expect(opened.retryAt).toBeGreaterThan(Date.now() - 1_000)
    expect(await breaker.failure(k, policy)).toEqual({ phase: 'open', failures: 2, retryAt: opened.retryAt })
    await breaker.success(k)
    expect((await breaker.states([k]))[k]).toEqual({ phase: 'open', failures: 2, retryAt: opened.retryAt })
    await new Promise((r) => setTimeout(r, 200))
    expect(await breaker.acquire(k, policy)).toEqual({ allowed: true, probe: true })
    await breaker.success(k)
    expect((await breaker.states([k]))[k]).toEqual({ phase: 'closed', failures: 0, retryAt: null })
  })
})
