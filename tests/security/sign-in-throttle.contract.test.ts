// One behaviour for both SignInThrottle adapters: Postgres (a private test database) and Upstash Redis
// through the real @upstash/ratelimit and @upstash/redis clients and the local REST bridge over Redis
// database 10 (flushed before and after, and used by nothing else). Every test uses keys of its own.
// Budgets refill whole one window after their first use, so tests that must not see a refill use a
// window far longer than they run, and the timing tests only assert what holds however slowly they run.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from '@upstash/redis'
import { signInKeys, type SignInKeys, type SignInThrottle, type SignInThrottlePolicy } from '@/core/auth/sign-in-throttle'
import { createPostgresSignInThrottle } from '@/server/sign-in-throttle/postgres-sign-in-throttle'
import { createUpstashSignInThrottle } from '@/server/sign-in-throttle/upstash-sign-in-throttle'
import { startUpstashBridge, type UpstashBridge } from '../../dev/upstash-bridge/server'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const hextet = () => Math.floor(Math.random() * 0x10000).toString(16)
const email = () => `${randomUUID()}@example.test`
// An address of its own: a /64 no other test uses (a whole /64 counts as one address).
const address = () => `2001:db8:${hextet()}:${hextet()}::7`
/** The keys of a fresh email at a fresh address, or at `ip`. */
const keysAt = (ip = address(), who = email()) => signInKeys(who, ip)
const keysWithoutAddress = () => signInKeys(email(), undefined)

// Nothing refills while a test runs.
const LONG: SignInThrottlePolicy = {
  perAccount: { failures: 5, windowMs: 60_000 },
  perIp: { failures: 8, windowMs: 60_000 },
  maxLockoutMs: 600_000,
  strikeMemoryMs: 60_000,
}
// Lock-outs short enough to wait for.
const SHORT: SignInThrottlePolicy = {
  perAccount: { failures: 2, windowMs: 400 },
  perIp: { failures: 1_000, windowMs: 400 },
  maxLockoutMs: 1_000,
  strikeMemoryMs: 5_000,
}

type Make = (policy: SignInThrottlePolicy) => SignInThrottle

async function reserveTimes(t: SignInThrottle, keys: SignInKeys, times: number) {
  const decisions = []
  for (let i = 0; i < times; i++) decisions.push(await t.reserve(keys))
  return decisions
}

/** Reserves until refused (at most `bound` times); answers the refusal's wait. */
async function spend(t: SignInThrottle, keys: SignInKeys, bound = 20): Promise<number> {
  for (let i = 0; i < bound; i++) {
    const decision = await t.reserve(keys)
    if (!decision.allowed) return decision.retryAfterMs
  }
  throw new Error(`still allowed after ${bound} attempts`)
}

function signInThrottleContract(label: string, make: Make) {
  describe(`SignInThrottle contract: ${label}`, () => {
    it('allows the budget of failures, then refuses for the window and consumes nothing while refusing', async () => {
      const t = make(LONG)
      const keys = keysAt()
      expect((await reserveTimes(t, keys, 5)).every((d) => d.allowed)).toBe(true)
      const refused = await t.reserve(keys)
      expect(refused.allowed).toBe(false)
      const first = (refused as { retryAfterMs: number }).retryAfterMs
      expect(first).toBeGreaterThan(59_000)
      expect(first).toBeLessThanOrEqual(60_000)
      // Still the same lock-out, running down, not a new (doubled) one.
      const again = await t.reserve(keys)
      expect(again).toEqual({ allowed: false, retryAfterMs: expect.any(Number) })
      expect((again as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(first)
    })

    it('lets exactly the budget through when twenty attempts race, and locks out once', async () => {
      const t = make(LONG)
      const keys = keysAt()
      const decisions = await Promise.all(Array.from({ length: 20 }, () => t.reserve(keys)))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5)
      for (const d of decisions.filter((d) => !d.allowed)) expect((d as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000)
    })

    it('gives a successful attempt its reservation back', async () => {
      const t = make(LONG)
      const keys = keysAt()
      await reserveTimes(t, keys, 4)
      expect(await t.reserve(keys)).toEqual({ allowed: true })
      await t.succeeded(keys)
      // Four failures so far: one more is allowed, then the budget is spent.
      expect(await t.reserve(keys)).toEqual({ allowed: true })
      expect((await t.reserve(keys)).allowed).toBe(false)
    })

    it('counts an address across accounts, and nothing else is held against other addresses', async () => {
      const t = make(LONG)
      const ip = address()
      for (let i = 0; i < 8; i++) expect(await t.reserve(keysAt(ip))).toEqual({ allowed: true })
      const stranger = email()
      expect((await t.reserve(keysAt(ip, stranger))).allowed).toBe(false)
      expect(await t.reserve(keysAt(address(), stranger))).toEqual({ allowed: true })
    })

    it('keeps one account at one address apart from the same account elsewhere and other accounts there', async () => {
      const t = make(LONG)
      const [mine, ip] = [email(), address()]
      expect(await spend(t, keysAt(ip, mine))).toBeGreaterThan(0)
      expect(await t.reserve(keysAt(address(), mine))).toEqual({ allowed: true })
      expect(await t.reserve(keysAt(ip))).toEqual({ allowed: true })
    })

    it('counts the account alone when the address is unknown', async () => {
      const t = make(LONG)
      const keys = keysWithoutAddress()
      expect(keys.ip).toBeUndefined()
      expect((await reserveTimes(t, keys, 5)).every((d) => d.allowed)).toBe(true)
      expect((await t.reserve(keys)).allowed).toBe(false)
    })

    it('takes nothing from the account when the address budget refuses the attempt', async () => {
      // The address budget is small and short, the account's long: after the address lock-out ends the
      // account still has exactly what it had before the refused attempt.
      const t = make({ ...LONG, perIp: { failures: 3, windowMs: 300 } })
      const keys = keysAt()
      expect((await reserveTimes(t, keys, 3)).every((d) => d.allowed)).toBe(true)
      const refused = await t.reserve(keys)
      expect(refused.allowed).toBe(false)
      await sleep((refused as { retryAfterMs: number }).retryAfterMs + 50)
      expect(await t.reserve(keys)).toEqual({ allowed: true })
      expect(await t.reserve(keys)).toEqual({ allowed: true })
      expect((await t.reserve(keys)).allowed).toBe(false)
    })

    it('allows a whole budget again once the lock-out has run out', async () => {
      const t = make(SHORT)
      const keys = keysAt()
      const wait = await spend(t, keys)
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(400)
      await sleep(wait + 50)
      expect(await reserveTimes(t, keys, 2)).toEqual([{ allowed: true }, { allowed: true }])
    })

    it('doubles the lock-out each time the budget is spent again, up to the longest', async () => {
      const t = make(SHORT)
      const keys = keysAt()
      const waits = []
      for (let i = 0; i < 3; i++) {
        waits.push(await spend(t, keys))
        await sleep(waits.at(-1)! + 50)
      }
      expect(waits[0]).toBeLessThanOrEqual(400)
      expect(waits[1]).toBeGreaterThan(600)
      expect(waits[1]).toBeLessThanOrEqual(800)
      // 1,600 ms capped at 1,000.
      expect(waits[2]).toBeGreaterThan(800)
      expect(waits[2]).toBeLessThanOrEqual(1_000)
    })

    it('forgets the lock-outs of an account that signed in', async () => {
      const t = make(SHORT)
      const keys = keysAt()
      await sleep((await spend(t, keys)) + 50)
      expect(await t.reserve(keys)).toEqual({ allowed: true })
      await t.succeeded(keys)
      const wait = await spend(t, keys)
      expect(wait).toBeLessThanOrEqual(400)
    })
  })
}

let database: TestDatabase
let bridge: UpstashBridge
let redis: Redis
const REDIS_URL = 'redis://127.0.0.1:6379/10'
const TOKEN = 'sign-in-throttle-contract-token'

beforeAll(async () => {
  database = await createTestDatabase()
  bridge = await startUpstashBridge({ port: 0, redisUrl: REDIS_URL, token: TOKEN })
  redis = new Redis({ url: bridge.url, token: TOKEN, enableTelemetry: false })
  await redis.flushdb()
})

afterAll(async () => {
  await redis?.flushdb()
  await bridge?.stop()
  await database?.drop()
})

signInThrottleContract('postgres', (policy) => createPostgresSignInThrottle(database.db.sql, policy))
signInThrottleContract('upstash', (policy) => createUpstashSignInThrottle(redis, policy, `signin-contract:${randomUUID()}`))

describe('the Postgres throttle table', () => {
  it('is out of reach of the API roles, and keeps no email in clear', async () => {
    const t = createPostgresSignInThrottle(database.db.sql, LONG)
    const who = `${randomUUID()}@example.test`
    await t.reserve(signInKeys(who, '198.51.100.7'))
    const stored = await database.db.sql`select key from public.sign_in_throttle`
    expect(stored.map((r) => r.key)).toEqual(expect.arrayContaining(['ip:198.51.100.7']))
    expect(JSON.stringify(stored)).not.toContain(who.split('@')[0])
    for (const role of ['anon', 'authenticated']) {
      const outcome = await database.db.sql
        .begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`)
          await tx.unsafe('select * from public.sign_in_throttle')
        })
        .then(
          () => 'ok',
          (error: { code?: string }) => error.code,
        )
      expect(outcome).toBe('42501')
      const call = await database.db.sql
        .begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`)
          await tx.unsafe(`select private.sign_in_refund(array['x'], array[1], 'x')`)
        })
        .then(
          () => 'ok',
          (error: { code?: string }) => error.code,
        )
      expect(call).toBe('42501')
    }
    const [rls] = await database.db.sql`
      select relrowsecurity as enabled, relforcerowsecurity as forced,
             (select count(*)::int from pg_policies where schemaname = 'public' and tablename = 'sign_in_throttle') as policies
      from pg_class where oid = 'public.sign_in_throttle'::regclass`
    expect(rls).toEqual({ enabled: true, forced: true, policies: 0 })
  })

  it('writes one row per budget and retires stale rows as new keys arrive', async () => {
    const t = createPostgresSignInThrottle(database.db.sql, { ...LONG, perAccount: { failures: 5, windowMs: 20 }, perIp: { failures: 5, windowMs: 20 } })
    // Only this test's rows, so the two oldest stale ones are its own.
    await database.db.sql`delete from public.sign_in_throttle`
    const first = keysAt()
    await t.reserve(first)
    const rows = await database.db.sql`select key from public.sign_in_throttle where key in (${`account:${first.account}`}, ${`ip:${first.ip}`})`
    expect(rows).toHaveLength(2)
    await sleep(60)
    // Each new key retires up to two stale rows.
    await t.reserve(keysWithoutAddress())
    const left = await database.db.sql`select key from public.sign_in_throttle where key in (${`account:${first.account}`}, ${`ip:${first.ip}`})`
    expect(left).toHaveLength(0)
  })
})

describe('the keys an attempt is counted under', () => {
  it('hash the email, and count an IPv6 client by its /64 and an IPv4-mapped one as IPv4', () => {
    const keys = signInKeys('Ana@Example.test', '2001:db8:1:2:aaaa::1')
    expect(keys.ip).toBe('2001:db8:1:2::/64')
    expect(keys.account).not.toContain('ana')
    expect(signInKeys('ana@example.test', '2001:db8:1:2:bbbb::9')).toEqual(keys)
    expect(signInKeys('ana@example.test', '::ffff:203.0.113.9').ip).toBe('203.0.113.9')
    expect(signInKeys('ana@example.test', 'not-an-address')).toEqual({ account: expect.stringMatching(/@unknown$/) })
  })
})
