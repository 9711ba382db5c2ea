// The Postgres adapters of the send engine's ports, held to the same contracts as every other adapter.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresCircuitBreaker } from '@/server/sending/postgres/postgres-circuit-breaker'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { createPostgresPacer } from '@/server/sending/postgres/postgres-pacer'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { breakerContract } from './breaker-contract'
import { jobQueueContract } from './job-queue-contract'
import { pacerContract } from './pacer-contract'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

jobQueueContract('postgres', () => createPostgresJobQueue(t.db.sql))
pacerContract('postgres', () => createPostgresPacer(t.db.sql))
breakerContract('postgres', () => createPostgresCircuitBreaker(t.db.sql))

class Rollback extends Error {}

describe('the engine schema', () => {
  /** Runs `statement` as `role` in a transaction that is rolled back; answers 'ok' or the SQLSTATE it failed with. */
  async function as(role: 'anon' | 'authenticated' | 'service_role', statement: string) {
    try {
      await t.db.sql.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`)
        await tx.unsafe(statement)
        throw new Rollback()
      })
    } catch (error) {
      if (error instanceof Rollback) return 'ok'
      return (error as { code?: string }).code ?? String(error)
    }
    return 'ok'
  }

  it('is out of reach of the API roles: no table can be read or written, no function called', async () => {
    const queue = `sends:${randomUUID()}` as const
    await createPostgresJobQueue(t.db.sql).enqueue(queue, [{ id: 'visible-to-the-service-only', payload: {} }])
    for (const role of ['anon', 'authenticated', 'service_role'] as const) {
      expect(await as(role, 'select * from engine.jobs')).toBe('42501')
      expect(await as(role, `delete from engine.breakers`)).toBe('42501')
      expect(await as(role, `select engine.enqueue_jobs('${queue}', '[]')`)).toBe('42501')
      expect(await as(role, `select * from engine.claim_jobs('${queue}', 1, 1000)`)).toBe('42501')
    }
    await createPostgresJobQueue(t.db.sql).clear(queue, 'all')
  })

  it('grants nothing in it to anyone but its owner', async () => {
    const grants = await t.db.sql`
      select c.relname, a.grantee::regrole::text as grantee, a.privilege_type
      from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a
      where n.nspname = 'engine' and a.grantee <> c.relowner`
    expect(grants).toEqual([])
    const functions = await t.db.sql`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'engine' and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))`
    expect(functions).toEqual([])
    const [schema] = await t.db.sql`
      select has_schema_privilege('authenticated', 'engine', 'usage') as authenticated, has_schema_privilege('anon', 'engine', 'usage') as anon`
    expect(schema).toEqual({ authenticated: false, anon: false })
  })
})

describe('the Postgres adapters beyond the contracts', () => {
  it('enqueues a 1,000-job batch and claims it back in enqueue order, anonymous jobs under generated ids', async () => {
    const q = createPostgresJobQueue(t.db.sql)
    const queue = `sends:${randomUUID()}` as const
    const jobs = Array.from({ length: 1000 }, (_, i) => (i % 2 ? { id: `big-${i}`, payload: { i } } : { payload: { i } }))
    expect(await q.enqueue(queue, jobs)).toBe(1000)
    expect(await q.stats(queue)).toEqual({ pending: 1000, delayed: 0, processing: 0, dead: 0 })
    const claimed = await q.claim<{ i: number }>(queue, 1000, 30_000)
    expect(claimed.map((j) => j.payload.i)).toEqual(jobs.map((_, i) => i))
    expect(claimed.filter((j) => /^[0-9a-f-]{36}$/.test(j.id))).toHaveLength(500)
    await q.clear(queue, 'all')
  })

  it('retires pair-rate rows whose bucket refilled as new pairs arrive, and keeps those still refilling', async () => {
    const p = createPostgresPacer(t.db.sql)
    await t.db.sql`delete from engine.pair_credits`
    const refilled = `pair:${randomUUID()}`
    const busy = `pair:${randomUUID()}`
    expect(await p.tryTake(refilled, 20, 1)).toBe(0)
    expect(await p.tryTake(busy, 60_000, 1)).toBe(0)
    await new Promise((r) => setTimeout(r, 60))
    const fresh = `pair:${randomUUID()}`
    expect(await p.tryTake(fresh, 20, 1)).toBe(0)
    const rows = await t.db.sql<{ key: string }[]>`select key from engine.pair_credits`
    expect(rows.map((r) => r.key).sort()).toEqual([busy, fresh].sort())
    // A retired pair starts again with a full bucket, as if it had never been seen.
    expect(await p.tryTake(refilled, 20, 1)).toBe(0)
    expect(await p.tryTake(busy, 60_000, 1)).toBeGreaterThan(50_000)
  })

  it('retires refilled rows when many new pairs take their first credit together, two per new pair', async () => {
    const p = createPostgresPacer(t.db.sql)
    await t.db.sql`delete from engine.pair_credits`
    const refilled = Array.from({ length: 5 }, () => `pair:${randomUUID()}`)
    const busy = `pair:${randomUUID()}`
    expect(await p.tryTakeMany(refilled, 20, 1)).toEqual([0, 0, 0, 0, 0])
    expect(await p.tryTake(busy, 60_000, 1)).toBe(0)
    await new Promise((r) => setTimeout(r, 60))
    const fresh = [`pair:${randomUUID()}`, `pair:${randomUUID()}`]
    expect(await p.tryTakeMany([...fresh, busy], 20, 1)).toEqual([0, 0, expect.any(Number)])
    const left = (await t.db.sql<{ key: string }[]>`select key from engine.pair_credits`).map((r) => r.key)
    // Four of the five refilled rows went (two per new pair); the busy one stays, still refilling.
    expect(left).toEqual(expect.arrayContaining([...fresh, busy]))
    expect(left.filter((k) => refilled.includes(k))).toHaveLength(1)
  })

  it('lets callers take first credits for the same new pairs in opposite orders at once, without a deadlock', async () => {
    const p = createPostgresPacer(t.db.sql)
    const keys = Array.from({ length: 200 }, () => `pair:${randomUUID()}`)
    const reversed = [...keys].reverse()
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => p.tryTakeMany(i % 2 ? reversed : keys, 60_000, 1)))
    // Each pair's one credit went to exactly one caller; the others wait for the next.
    const zeroes = results.reduce((n, waits) => n + waits.filter((w) => w === 0).length, 0)
    expect(zeroes).toBe(keys.length)
  })
})
