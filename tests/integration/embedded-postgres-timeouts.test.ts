// The limits the embedded database (dev/embedded-postgres) enforces for PGlite, which ignores them: sent by
// clients made by createDb as the app's are, against the server in this process with PGlite on its own thread.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '@/server/db/create-db'
import { startEmbeddedPostgres } from '../../dev/embedded-postgres'
import { freePort } from './support/free-port'

type Embedded = Awaited<ReturnType<typeof startEmbeddedPostgres>>

const timeouts = { statementMs: 300, lockMs: 0, idleInTransactionMs: 800 }

let dataDir: string
let embedded: Embedded
let client: Db
let other: Db
// No limits: it waits as long as the session is taken, so its answer says the session is free again.
let unlimited: postgres.Sql

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-timeouts-'))
  embedded = await startEmbeddedPostgres(dataDir, await freePort())
  client = createDb(embedded.url, { max: 1, timeouts })
  other = createDb(embedded.url, { max: 1, timeouts })
  unlimited = postgres(embedded.url, { prepare: false, max: 1, onnotice: () => {} })
  await unlimited`create table marks (id int)`
  await other.sql`select 1` // connected before the session is taken
})

afterAll(async () => {
  await client?.end()
  await other?.end()
  await unlimited?.end({ timeout: 1 })
  await embedded?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

const marks = async () => (await unlimited<{ n: number }[]>`select count(*)::int as n from marks`)[0]!.n

describe('embedded Postgres timeouts', () => {
  it('answers a statement past statement_timeout with 57014 and undoes it once PGlite has run it to its end', async () => {
    const started = performance.now()
    await expect(client.sql`insert into marks select 1 from pg_sleep(3)`).rejects.toMatchObject({
      code: '57014',
      message: 'canceling statement due to statement timeout',
    })
    expect(performance.now() - started).toBeLessThan(2_500)
    // The runaway still holds the session: a statement from another client fails once its own limit passes.
    await expect(other.sql`select 1`).rejects.toMatchObject({ code: '57014' })
    expect(await marks()).toBe(0)
    expect([...(await client.sql`select 1 as one`)]).toEqual([{ one: 1 }])
    expect([...(await other.sql`select 2 as two`)]).toEqual([{ two: 2 }])
  })

  it('leaves the transaction of a statement past statement_timeout failed, so nothing of it is committed', async () => {
    const transaction = client.withService(async (tx) => {
      await tx`insert into marks values (1)`
      await tx`select pg_sleep(1)`.catch(() => {}) // carrying on after the error, as a caller might
      await tx`insert into marks values (2)`
    })
    await expect(transaction).rejects.toMatchObject({ code: '57014' })
    expect(await marks()).toBe(0)
    expect([...(await client.sql`select 1 as one`)]).toEqual([{ one: 1 }])
  })

  it('ends a connection left idle in its transaction, rolls it back and frees the session', async () => {
    const transaction = client.withService(async (tx) => {
      await tx`insert into marks values (1)`
      await parkedForever
    })
    const ended = expect(transaction).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
    // Queued behind the idle transaction, it is answered once the server has ended it.
    expect([...(await unlimited`select 1 as one`)]).toEqual([{ one: 1 }])
    await ended
    expect(await marks()).toBe(0)
    expect([...(await client.sql`select 1 as one`)]).toEqual([{ one: 1 }])
  })
})

// The idle transaction's callback never resumes: postgres.js 3.4.9 would send its COMMIT on a connection the
// server has ended, which throws outside any promise (porsager/postgres#1155).
const parkedForever = new Promise<never>(() => {})
