// Tenant isolation, proven from the catalog: every table with a tenant column is discovered, and a
// user who owns tenant A can neither read nor write tenant B's rows in any of them.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db, Sql } from '@/server/db/create-db'
import { seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

interface TenantTable {
  name: string
  tenantColumn: 'tenant_id' | 'id'
}

async function discoverTenantTables(sql: Sql): Promise<TenantTable[]> {
  const rows = await sql<{ table_name: string }[]>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`
  return [{ name: 'tenants', tenantColumn: 'id' }, ...rows.map((r) => ({ name: r.table_name, tenantColumn: 'tenant_id' as const }))]
}

async function tablesWithoutForcedRls(sql: Sql, tables: TenantTable[]): Promise<string[]> {
  const rows = await sql<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname in ${sql(tables.map((t) => t.name))}
      and not (c.relrowsecurity and c.relforcerowsecurity)`
  return rows.map((r) => r.relname)
}

// Everything tenant B has, as the service sees it: the yardstick for "nothing changed".
async function snapshot(db: Db, tables: TenantTable[], tenantId: string) {
  const out: Record<string, string> = {}
  for (const t of tables) {
    const [row] = await db.sql.unsafe(
      `select coalesce(jsonb_agg(to_jsonb(x) order by x.id)::text, '[]') as rows from public.${t.name} x where x.${t.tenantColumn} = $1`,
      [tenantId],
    )
    out[t.name] = row!.rows
  }
  return out
}

/** Runs `statement` as the user; returns the affected row count, or the SQLSTATE it failed with. */
async function attempt(db: Db, user: SeededTenant, statement: string, params: unknown[] = []): Promise<number | string> {
  try {
    return await db.withUser(user.claims, async (tx) => (await tx.unsafe(statement, params as never[])).count)
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
}

describe('row level security isolates tenants', () => {
  let t: TestDatabase
  let a: SeededTenant
  let b: SeededTenant
  let tables: TenantTable[]
  let before: Record<string, string>

  beforeAll(async () => {
    t = await createTestDatabase()
    a = await seedTenant(t.db, 'alpha')
    b = await seedTenant(t.db, 'bravo')
    tables = await discoverTenantTables(t.db.sql)
    before = await snapshot(t.db, tables, b.tenantId)
  })
  afterAll(() => t.drop())

  it('discovers the tenant tables from the catalog, every one with RLS enabled and forced', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(19)
    expect(await tablesWithoutForcedRls(t.db.sql, tables)).toEqual([])
  })

  it('flags a tenant table created without RLS', async () => {
    await t.db.sql`create table public.rls_probe (id uuid primary key, tenant_id uuid)`
    try {
      const withProbe = await discoverTenantTables(t.db.sql)
      expect(withProbe.map((x) => x.name)).toContain('rls_probe')
      expect(await tablesWithoutForcedRls(t.db.sql, withProbe)).toEqual(['rls_probe'])
    } finally {
      await t.db.sql`drop table public.rls_probe`
    }
  })

  it('has fixture rows for both tenants in every discovered table, so no check below is vacuous', async () => {
    const empty: string[] = []
    for (const table of tables)
      for (const tenant of [a, b]) {
        const [row] = await t.db.sql.unsafe(`select count(*)::int as n from public.${table.name} where ${table.tenantColumn} = $1`, [tenant.tenantId])
        if (row!.n === 0) empty.push(`${table.name} (${tenant === a ? 'A' : 'B'})`)
      }
    expect(empty).toEqual([])
  })

  it("lets the owner of A read A's rows in every table", async () => {
    const unreadable: string[] = []
    for (const table of tables) {
      const [row] = await t.db.withUser(a.claims, (tx) =>
        tx.unsafe(`select count(*)::int as n from public.${table.name} where ${table.tenantColumn} = $1`, [a.tenantId]),
      )
      if (row!.n === 0) unreadable.push(table.name)
    }
    expect(unreadable).toEqual([])
  })

  it("never shows A's owner a row of B, even without a tenant filter", async () => {
    const leaks: string[] = []
    for (const table of tables) {
      const [row] = await t.db.withUser(a.claims, (tx) =>
        tx.unsafe(`select count(*)::int as n from public.${table.name} where ${table.tenantColumn} <> $1`, [a.tenantId]),
      )
      if (row!.n > 0) leaks.push(`${table.name}: ${row!.n}`)
    }
    expect(leaks).toEqual([])
  })

  it("refuses A's owner inserting rows into B", async () => {
    const accepted: string[] = []
    for (const table of tables) {
      const [row] = await t.db.sql.unsafe(`select to_jsonb(x) as r from public.${table.name} x where x.${table.tenantColumn} = $1 limit 1`, [b.tenantId])
      const copy = { ...row!.r, id: randomUUID() }
      const result = await attempt(t.db, a, `insert into public.${table.name} select * from jsonb_populate_record(null::public.${table.name}, $1::jsonb)`, [copy])
      if (result !== '42501') accepted.push(`${table.name}: ${result}`)
    }
    expect(accepted).toEqual([])
  })

  it("refuses A's owner adding themselves to B as an owner", async () => {
    expect(await attempt(t.db, a, `insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'owner')`, [b.tenantId, a.userId])).toBe('42501')
  })

  it("changes none of B's rows when A's owner updates or deletes them", async () => {
    const touched: string[] = []
    for (const table of tables) {
      for (const statement of [
        `update public.${table.name} set ${table.tenantColumn} = ${table.tenantColumn} where ${table.tenantColumn} = $1`,
        `delete from public.${table.name} where ${table.tenantColumn} = $1`,
      ]) {
        const result = await attempt(t.db, a, statement, [b.tenantId])
        // Either RLS hides the rows (0 affected) or the privilege is refused outright.
        if (result !== 0 && result !== '42501') touched.push(`${table.name}: ${statement.split(' ')[0]} → ${result}`)
      }
    }
    expect(touched).toEqual([])
    expect(await snapshot(t.db, tables, b.tenantId)).toEqual(before)
  })

  it("refuses A's owner moving A's own rows into B", async () => {
    const moved: string[] = []
    for (const table of tables.filter((x) => x.tenantColumn === 'tenant_id')) {
      const result = await attempt(t.db, a, `update public.${table.name} set tenant_id = $1 where tenant_id = $2`, [b.tenantId, a.tenantId])
      if (typeof result === 'number' && result > 0) moved.push(`${table.name}: ${result}`)
    }
    expect(moved).toEqual([])
    expect(await snapshot(t.db, tables, b.tenantId)).toEqual(before)
  })
})
