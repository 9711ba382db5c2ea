import { cp, mkdtemp, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChangedMigrationError, migrate, MIGRATIONS_DIR, readMigrations } from '@/server/db/migrate'
import { createTestDatabase, type TestDatabase } from './support/test-database'

describe('migration runner', () => {
  // Every test starts from an empty database and runs the migrations it needs itself, so none relies on
  // what another one applied.
  let t: TestDatabase
  beforeEach(async () => {
    t = await createTestDatabase({ empty: true })
  })
  afterEach(() => t.drop())

  const migrationNames = async () => (await readMigrations()).map((f) => f.name)

  it('applies every migration in name order on an empty database and records each once', async () => {
    const names = await migrationNames()
    expect(await migrate(t.db.sql)).toEqual(names)
    const recorded = await t.db.sql`select name from conversa_meta.migrations order by name`
    expect(recorded.map((r) => r.name)).toEqual(names)
  })

  it('is idempotent: a second run applies nothing', async () => {
    expect(await migrate(t.db.sql)).toEqual(await migrationNames())
    expect(await migrate(t.db.sql)).toEqual([])
  })

  it('lets concurrent runners queue on the lock instead of applying twice', async () => {
    // Racing on the empty database: whichever runner takes the lock first applies everything, the others
    // wait for it and then find nothing left to apply.
    const results = await Promise.all([migrate(t.db.sql), migrate(t.db.sql), migrate(t.db.sql)])
    expect(results.flat()).toEqual(await migrationNames())
  })

  it('refuses an already-applied file that was edited, and applies nothing else', async () => {
    await migrate(t.db.sql)
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'))
    await cp(MIGRATIONS_DIR, dir, { recursive: true })
    const [first] = await readMigrations(dir)
    await appendFile(path.join(dir, first!.name), '\n-- edited after it was applied\n')
    await appendFile(path.join(dir, '99990101000000_new.sql'), 'create table public.should_not_exist (id int);')
    await expect(migrate(t.db.sql, dir)).rejects.toBeInstanceOf(ChangedMigrationError)
    const [table] = await t.db.sql`select to_regclass('public.should_not_exist') as t`
    expect(table!.t).toBeNull()
  })

  it('enables and forces row level security on every public table', async () => {
    await migrate(t.db.sql)
    const tables = await t.db.sql<{ relname: string; rls: boolean; forced: boolean }[]>`
      select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`
    expect(tables.length).toBeGreaterThan(15)
    expect(tables.filter((x) => !x.rls || !x.forced).map((x) => x.relname)).toEqual([])
  })
})
