// The embedded database of `npm run dev` (dev/embedded-postgres) as the app and the worker use it: two
// separate postgres.js clients, each with a pool, all multiplexed onto the one PGlite session. Every
// statement must run whole and alone, and every transaction must see no other connection's statements.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../dev/embedded-postgres'
import { freePort } from './support/free-port'

type Embedded = Awaited<ReturnType<typeof startEmbeddedPostgres>>

let dataDir: string
let embedded: Embedded
let app: postgres.Sql
let worker: postgres.Sql

const connect = (url: string, max = 4) => postgres(url, { prepare: false, max, onnotice: () => {}, connect_timeout: 10 })

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-'))
  embedded = await startEmbeddedPostgres(dataDir, await freePort())
  app = connect(embedded.url)
  worker = connect(embedded.url)
  await app`create table items (k int primary key, label text not null, qty int not null)`
  await app`create table counter (id int primary key, n int not null)`
  await app`insert into counter values (1, 0)`
})

afterAll(async () => {
  await app?.end({ timeout: 1 })
  await worker?.end({ timeout: 1 })
  await embedded?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('embedded Postgres under concurrent clients', () => {
  it('runs 300 concurrent statements of different shapes from two pools, each with its own result', async () => {
    const run = async (i: number) => {
      const sql = i % 2 ? app : worker
      switch (i % 4) {
        case 0: {
          const [row] = await sql`select ${i}::int + 1 as n`
          expect(row).toEqual({ n: i + 1 })
          break
        }
        case 1: {
          const [row] = await sql`select ${`a${i}`}::text || ${`-b${i}`}::text as s`
          expect(row).toEqual({ s: `a${i}-b${i}` })
          break
        }
        case 2: {
          const rows = await sql`insert into items (k, label, qty) values (${i}::int, ${`item ${i}`}::text, ${i * 3}::int)
                                 returning k, label, qty`
          expect([...rows]).toEqual([{ k: i, label: `item ${i}`, qty: i * 3 }])
          break
        }
        default: {
          const rows = await sql`select g from generate_series(1, ${(i % 7) + 1}::int) g order by g`
          expect(rows.map((r) => r.g)).toEqual(Array.from({ length: (i % 7) + 1 }, (_, j) => j + 1))
        }
      }
    }
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => run(i)))
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))
    expect(failures).toEqual([])
    expect([...(await app`select count(*)::int as count from items`)]).toEqual([{ count: 75 }])
  })

  it('keeps explicit transactions from both clients apart, so read-modify-write increments add up exactly', async () => {
    const increment = (sql: postgres.Sql, by: number) =>
      sql.begin(async (tx) => {
        const [row] = await tx<{ n: number }[]>`select n from counter where id = 1`
        await new Promise((resolve) => setTimeout(resolve, 1)) // work between statements, as the app does
        await tx`update counter set n = ${row!.n + by}::int where id = 1`
      })
    const bystanders = Array.from({ length: 40 }, async (_, i) => {
      const [row] = await (i % 2 ? worker : app)`select ${i}::int * 2 as n`
      expect(row).toEqual({ n: i * 2 })
    })
    const increments = Array.from({ length: 40 }, (_, i) => increment(i % 2 ? app : worker, i + 1))
    await Promise.all([...increments, ...bystanders])
    expect([...(await worker`select n from counter where id = 1`)]).toEqual([{ n: (40 * 41) / 2 }])
  })

  it("keeps one client's failing statements from breaking the other client's queries", async () => {
    const failing = Array.from({ length: 30 }, (_, i) =>
      i % 3
        ? expect(app.unsafe(`selec ${i}`)).rejects.toMatchObject({ code: '42601' })
        : expect(
            app.begin(async (tx) => {
              await tx`select 1`
              await tx.unsafe('select * from no_such_table')
            }),
          ).rejects.toMatchObject({ code: '42P01' }),
    )
    const healthy = Array.from({ length: 60 }, async (_, i) => {
      const [row] = await worker`select ${i}::int as i, ${`v${i}`}::text as v`
      expect(row).toEqual({ i, v: `v${i}` })
    })
    await Promise.all([...failing, ...healthy])
    const [row] = await app`select 'still fine'::text as s`
    expect(row).toEqual({ s: 'still fine' })
  })

  it('rolls back and frees the session when a connection drops inside a transaction', async () => {
    const dropped = connect(embedded.url, 1)
    const reserved = await dropped.reserve()
    await reserved`begin`
    await reserved`insert into items (k, label, qty) values (-1, 'abandoned', 0)`
    await dropped.end({ timeout: 0 })
    expect([...(await app`select count(*)::int as count from items where k = -1`)]).toEqual([{ count: 0 }])
    const [row] = await worker`select 1 + 1 as n`
    expect(row).toEqual({ n: 2 })
  })

  it('delivers a committed NOTIFY to every connection listening on its channel, and only then', async () => {
    const heard: string[] = []
    const other: string[] = []
    const listening = await worker.listen('room "1"', (payload) => heard.push(payload))
    await worker.listen('elsewhere', (payload) => other.push(payload))
    await app`select pg_notify('room "1"', 'plain')`
    await expect.poll(() => heard).toEqual(['plain'])
    await app.begin(async (tx) => {
      await tx`select pg_notify('room "1"', 'in a transaction')`
      await new Promise((r) => setTimeout(r, 100))
      expect(heard).toEqual(['plain']) // a notification leaves on commit
    })
    await expect.poll(() => heard).toEqual(['plain', 'in a transaction'])
    await app
      .begin(async (tx) => {
        await tx`select pg_notify('room "1"', 'rolled back')`
        throw new Error('abort')
      })
      .catch(() => {})
    await listening.unlisten()
    await app`select pg_notify('room "1"', 'after unlisten')`
    // A query on the listener's connection after the last notify: anything routed to it has arrived.
    await worker`select 1`
    await app`select pg_notify('elsewhere', 'marker')`
    await expect.poll(() => other).toEqual(['marker'])
    expect(heard).toEqual(['plain', 'in a transaction'])
  })
})
