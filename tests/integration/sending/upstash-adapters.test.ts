// The Upstash Redis adapters, through the real `@upstash/redis` client and the local REST bridge over
// Redis database 12 (flushed before and after, and used by nothing else): the three port contracts,
// then what is specific to Upstash (the client's JSON deserialization, batch sizes, key expiry).
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
  it('keeps ids and payloads that look like other JSON values as they were', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    await q.clear('webhooks', 'all')
    const jobs = [
      { id: '123', payload: '123' },
      { id: '1e3', payload: 1000 },
      { id: 'true', payload: 'true' },
      { id: 'null', payload: null },
      { id: '"quoted"', payload: '"quoted"' },
      { id: '007', payload: ['007', { big: '12345678901234567890' }] },
      { id: 'OK', payload: 'OK' },
    ]
    expect(await q.enqueue<unknown>('webhooks', jobs)).toBe(jobs.length)
    const claimed = await q.claim<unknown>('webhooks', 10, 30_000)
    expect(Object.fromEntries(claimed.map((j) => [j.id, j.payload]))).toEqual(Object.fromEntries(jobs.map((j) => [j.id, j.payload])))
    for (const job of claimed) {
      expect(typeof job.id).toBe('string')
      expect(typeof job.lease).toBe('string')
      expect(await q.deadLetter('webhooks', job, job.id)).toBe(true)
    }
    const dead = await q.listDead<unknown>('webhooks', 10)
    expect(dead.map((d) => [d.id, d.reason]).sort()).toEqual(jobs.map((j) => [j.id, j.id]).sort())
    expect(dead.find((d) => d.id === '123')!.payload).toBe('123')
    expect(await q.retryDead('webhooks', '123')).toBe(1)
    expect(await q.clear('webhooks', 'all')).toBe(jobs.length)
  })

  it('enqueues more than one script call holds, in one request, once per id', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    await q.clear('sends:15550001', 'all')
    const jobs = Array.from({ length: 2_500 }, (_, i) => ({ id: `bulk-${i}`, payload: { i } }))
    expect(await q.enqueue('sends:15550001', jobs)).toBe(2_500)
    expect(await q.enqueue('sends:15550001', [...jobs.slice(0, 1_200), { id: 'bulk-new', payload: { i: -1 } }])).toBe(1)
    expect(await q.stats('sends:15550001')).toEqual({ pending: 2_501, delayed: 0, processing: 0, dead: 0 })
    const claimed = await q.claim<{ i: number }>('sends:15550001', 1_500, 30_000)
    expect(claimed).toHaveLength(1_500)
    expect(new Set(claimed.map((j) => j.lease)).size).toBe(1_500)
    expect(await q.clear('sends:15550001', 'all')).toBe(2_501)
  })

  it('sweeps dead and stuck jobs in batches larger than one script call', async () => {
    const q = createUpstashJobQueue(redis, PREFIX)
    await q.clear('sends:15550001', 'all')
    await q.enqueue('sends:15550001', Array.from({ length: 2_100 }, (_, i) => ({ id: `sweep-${i}`, payload: {} })))
    const first = await q.claim('sends:15550001', 2_100, 30_000)
    await Promise.all(first.map((j) => q.deadLetter('sends:15550001', j, 'x')))
    expect(await q.retryDead('sends:15550001')).toBe(2_100)
    await q.claim('sends:15550001', 2_100, 50)
    await new Promise((r) => setTimeout(r, 100))
    expect(await q.recoverStuck('sends:15550001')).toBe(2_100)
    const again = await q.claim('sends:15550001', 2_100, 30_000)
    await Promise.all(again.map((j) => q.deadLetter('sends:15550001', j, 'y')))
    expect(await q.clear('sends:15550001', 'dead')).toBe(2_100)
    expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
  })

  it('lets idle pacer and breaker keys expire', async () => {
    const pacer = createUpstashPacer(redis, PREFIX)
    const breaker = createUpstashCircuitBreaker(redis, PREFIX)
    await pacer.reserve('ttl', 10, 1)
    await pacer.slowDown('ttl', 0.5, 5_000)
    await pacer.tryTake('ttl', 1_000, 2)
    await pacer.admitUnique('ttl', 'member', 5, 10_000)
    await breaker.failure('ttl', { threshold: 3, openMs: 1_000 })
    const ttl = async (key: string) => redis.pttl(`${PREFIX}:${key}`)
    expect(await ttl('pace:rate:ttl')).toBeGreaterThan(5_000)
    expect(await ttl('pace:rate:ttl')).toBeLessThanOrEqual(5_000 + 60_000)
    expect(await ttl('pace:pair:ttl')).toBeGreaterThan(0)
    expect(await ttl('pace:pair:ttl')).toBeLessThanOrEqual(1_000 + 1_000)
    expect(await ttl('pace:unique:ttl')).toBeGreaterThan(10_000)
    expect(await ttl('pace:unique:ttl')).toBeLessThanOrEqual(11_000)
    expect(await ttl('breaker:ttl')).toBeGreaterThan(0)
    await breaker.success('ttl')
    expect(await redis.exists(`${PREFIX}:breaker:ttl`)).toBe(0)
  })

  it('takes stragglers reported while open as neither pushing the probe back nor closing', async () => {
    const breaker = createUpstashCircuitBreaker(redis, PREFIX)
    const policy = { threshold: 1, openMs: 150 }
    const opened = await breaker.failure('late', policy)
    expect(opened).toMatchObject({ phase: 'open', failures: 1 })
    expect(opened.retryAt).toBeGreaterThan(Date.now() - 1_000)
    expect(await breaker.failure('late', policy)).toEqual({ phase: 'open', failures: 2, retryAt: opened.retryAt })
    await breaker.success('late')
    expect((await breaker.states(['late'])).late).toEqual({ phase: 'open', failures: 2, retryAt: opened.retryAt })
    await new Promise((r) => setTimeout(r, 200))
    expect(await breaker.acquire('late', policy)).toEqual({ allowed: true, probe: true })
    await breaker.success('late')
    expect((await breaker.states(['late'])).late).toEqual({ phase: 'closed', failures: 0, retryAt: null })
  })
})
