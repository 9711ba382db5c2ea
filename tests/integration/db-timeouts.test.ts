// The limits the app's database handle takes from configuration (DB_*_TIMEOUT_MS), on a real PostgreSQL
// server: a slow statement, a long lock wait and an idle open transaction are each ended by the server,
// and the same handle keeps answering afterwards.
import { randomInt } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@/server/db/create-db'
import { useRouteEnvironment } from './support/route-environment'
import { createTestDatabase, type TestDatabase } from './support/test-database'

let t: TestDatabase
let app: Db

beforeAll(async () => {
  t = await createTestDatabase({ empty: true })
  await t.db.sql`create table marks (id int)`
  useRouteEnvironment(t.url, { DB_STATEMENT_TIMEOUT_MS: '500', DB_LOCK_TIMEOUT_MS: '300', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000' })
  app = (await import('@/server/db/db')).db()
})

afterAll(async () => {
  await app?.end()
  await t?.drop()
})

// The idle transaction's callback never resumes: postgres.js 3.4.9 would send its COMMIT on a connection the
// server has ended, which throws outside any promise (porsager/postgres#1155).
const parkedForever = new Promise<never>(() => {})

const backendPid = async () => (await app.sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid

describe('database timeouts on PostgreSQL', () => {
  it('sends the configured limits with every connection', async () => {
    const [settings] = await app.sql`
      select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock,
             current_setting('idle_in_transaction_session_timeout') as idle`
    expect(settings).toEqual({ statement: '500ms', lock: '300ms', idle: '1s' })
  })

  it('cancels a statement that runs past statement_timeout, and the connection goes on answering', async () => {
    const pid = await backendPid()
    const started = performance.now()
    await expect(app.sql`select pg_sleep(10)`).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' })
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(await backendPid()).toBe(pid)
    expect([...(await app.sql`select 1 as one`)]).toEqual([{ one: 1 }])
  })

  it('gives up a lock wait past lock_timeout while the holder keeps its lock', async () => {
    const key = randomInt(1, 2 ** 31)
    await t.db.sql.begin(async (holder) => {
      await holder`select pg_advisory_xact_lock(${key})`
      await expect(app.sql`select pg_advisory_xact_lock(${key})`).rejects.toMatchObject({
        code: '55P03',
        message: 'canceling statement due to lock timeout',
      })
    })
    expect([...(await app.sql`select pg_try_advisory_xact_lock(${key}) as free`)]).toEqual([{ free: true }])
  })

  it('ends a session left idle in its transaction, rolling the transaction back', async () => {
    const transaction = app.withService(async (tx) => {
      await tx`insert into marks values (1)`
      await parkedForever
    })
    await expect(transaction).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
    expect([...(await t.db.sql`select count(*)::int as n from marks`)]).toEqual([{ n: 0 }])
    expect([...(await app.sql`select 1 as one`)]).toEqual([{ one: 1 }])
  })
})
