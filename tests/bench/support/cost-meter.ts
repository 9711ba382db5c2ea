// What the work between two snapshots cost the stack: PostgreSQL's transactions, row writes and WAL,
// the Upstash commands (what Upstash bills, when the stack's queue and pacer are on Upstash), and the
// CPU time of each process (app, worker, stand-ins with the Meta emulator, the PostgreSQL server), so a
// benchmark can print the cost of one unit of work beside its times.
import { Console } from 'node:console'
import { performance } from 'node:perf_hooks'
import { PassThrough } from 'node:stream'
import { createDb, type Sql } from '@/server/db/create-db'
import { servicePid, type BenchStack } from './bench-stack'
import { procStat, treeCpuMs } from './proc'

const SERVICES = ['app', 'worker', 'stand-ins'] as const
const TOP_TABLES = 8

/**
 * The wait before reading PostgreSQL's counters. In PostgreSQL 15 a backend keeps its own counts of
 * transactions and row writes and adds them to the shared statistics only when it goes idle, and at
 * most once a second: a backend that goes idle sooner than that after its last flush keeps them until
 * it runs another statement or has been idle for 10 s (PGSTAT_IDLE_INTERVAL in pgstat.c). Read after
 * 1.5 s, the counters could miss the last writes of a connection that fell quiet; after 11 s, none.
 */
const STATS_SETTLE_MS = 11_000

interface UpstashUsage {
  requests: number
  commands: number
}

interface TableWrites {
  inserted: number
  updated: number
  hotUpdated: number
  deleted: number
}

interface DatabaseCounters {
  commits: number
  rollbacks: number
  inserted: number
  updated: number
  deleted: number
  /** Transactions of the server's other databases: work that the server-wide figures include. */
  otherCommits: number
}

export interface Cost extends DatabaseCounters {
  seconds: number
  walBytes: number
  /** Upstash requests and billed commands; null when the stack does not use Upstash. */
  upstash: UpstashUsage | null
  /** CPU ms of each process with its children; null for one not found, or replaced meanwhile (a restarted worker). */
  cpuMs: Record<string, number | null>
  /** The tables with the most row writes, most first. */
  tables: ({ table: string } & TableWrites)[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// A connection per snapshot: nothing stays open between them, whatever becomes of the benchmark.
async function withSql<T>(url: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const db = createDb(url, { max: 1 })
  try {
    return await fn(db.sql)
  } finally {
    await db.end()
  }
}

async function databaseCounters(sql: Sql) {
  const [totals] = await sql<DatabaseCounters[]>`
    select xact_commit::float8 as commits, xact_rollback::float8 as rollbacks,
           tup_inserted::float8 as inserted, tup_updated::float8 as updated, tup_deleted::float8 as deleted,
           (select coalesce(sum(xact_commit), 0)::float8 from pg_stat_database where datname <> current_database()) as "otherCommits"
    from pg_stat_database where datname = current_database()`
  const tables = await sql<({ table: string } & TableWrites)[]>`
    select schemaname || '.' || relname as "table", n_tup_ins::float8 as inserted, n_tup_upd::float8 as updated,
           n_tup_hot_upd::float8 as "hotUpdated", n_tup_del::float8 as deleted
    from pg_stat_user_tables`
  return { totals: totals!, tables: new Map(tables.map((t) => [t.table, t])) }
}

/**
 * Requests and commands the Upstash stand-in has served (counted as Upstash bills: each command of a
 * pipeline or transaction, a script as one); null when the stack has none.
 */
async function upstashUsage(bridgeUrl: string | null): Promise<UpstashUsage | null> {
  if (!bridgeUrl) return null
  return fetch(`${bridgeUrl}/usage`).then((r) => (r.ok ? (r.json() as Promise<UpstashUsage>) : null), () => null)
}

const cpuMs = (pids: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === null ? null : treeCpuMs(pid)]))

const writes = (t: Omit<TableWrites, 'hotUpdated'>) => t.inserted + t.updated + t.deleted

/**
 * Takes the first snapshot once the statistics of earlier work have settled; `stop()` takes the second
 * and returns the differences. The database figures are the benchmark database's own, except WAL and
 * the server's CPU, which cover everything the PostgreSQL server did meanwhile.
 */
export async function startCostMeter(stack: BenchStack | { processes: Record<string, number> }, databaseUrl: string) {
  const upstashBridgeUrl = 'upstashUrl' in stack ? stack.upstashUrl : null
  await sleep(STATS_SETTLE_MS)
  const { postmaster, lsn, counters } = await withSql(databaseUrl, async (sql) => {
    const [row] = await sql<{ backend: number; lsn: string }[]>`select pg_backend_pid() as backend, pg_current_wal_lsn()::text as lsn`
    // The server is not a child of ours: its postmaster is the parent of our connection's backend (read
    // while the backend lives), and every PostgreSQL process is counted under it, exited backends too.
    return { postmaster: procStat(row!.backend)?.ppid ?? null, lsn: row!.lsn, counters: await databaseCounters(sql) }
  })
  // A stack's services, or the processes a benchmark names (itself, when it does the work in-process).
  const services = 'processes' in stack ? stack.processes : Object.fromEntries(SERVICES.map((s) => [s, servicePid(stack, s)]))
  const pids = { ...services, postgres: postmaster }
  const cpuBefore = cpuMs(pids)
  const upstashBefore = await upstashUsage(upstashBridgeUrl)
  const startedAt = performance.now()

  return {
    async stop(): Promise<Cost> {
      // CPU and WAL are exact at once; the row counters need the wait.
      const seconds = (performance.now() - startedAt) / 1000
      const cpuAfter = cpuMs(pids)
      const upstashAfter = await upstashUsage(upstashBridgeUrl)
      const walBytes = await withSql(databaseUrl, async (sql) => {
        const [row] = await sql<{ bytes: number }[]>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${lsn}::pg_lsn)::float8 as bytes`
        return row!.bytes
      })
      await sleep(STATS_SETTLE_MS)
      const after = await withSql(databaseUrl, databaseCounters)
      const tables = [...after.tables.values()]
        .map((t) => {
          const was = counters.tables.get(t.table)
          return {
            table: t.table,
            inserted: t.inserted - (was?.inserted ?? 0),
            updated: t.updated - (was?.updated ?? 0),
            hotUpdated: t.hotUpdated - (was?.hotUpdated ?? 0),
            deleted: t.deleted - (was?.deleted ?? 0),
          }
        })
        .filter((t) => writes(t) > 0)
        .sort((a, b) => writes(b) - writes(a))
        .slice(0, TOP_TABLES)
      const total = (key: keyof DatabaseCounters) => after.totals[key] - counters.totals[key]
      return {
        seconds,
        commits: total('commits'),
        rollbacks: total('rollbacks'),
        inserted: total('inserted'),
        updated: total('updated'),
        deleted: total('deleted'),
        otherCommits: total('otherCommits'),
        walBytes,
        upstash:
          upstashBefore && upstashAfter
            ? { requests: upstashAfter.requests - upstashBefore.requests, commands: upstashAfter.commands - upstashBefore.commands }
            : null,
        cpuMs: Object.fromEntries(
          Object.entries(cpuAfter).map(([name, ms]) => [name, ms === null || cpuBefore[name] === null ? null : ms - cpuBefore[name]!]),
        ),
        tables,
      }
    },
  }
}

/** console.table's rendering, as text. */
function tableText(data: object) {
  const sink = new PassThrough()
  new Console({ stdout: sink, colorMode: false }).table(data)
  return String(sink.read())
}

// Two decimals for small per-unit figures, whole numbers for the rest.
const figure = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toFixed(2)))

/** The cost per unit of work (`units` of them, each a `unitName`) and in all, then where the row writes went. */
export function formatCost(cost: Cost, units: number, unitName: string) {
  const per = `per ${unitName}`
  const row = (total: number) => ({ [per]: figure(total / units), total: Math.round(total) })
  const cpu = Object.entries(cost.cpuMs)
  const rows = {
    commits: row(cost.commits),
    rollbacks: row(cost.rollbacks),
    'row writes (ins+upd+del)': row(writes(cost)),
    'WAL KB (server)': row(cost.walBytes / 1024),
    ...(cost.upstash ? { 'Upstash requests': row(cost.upstash.requests), 'Upstash commands (billed)': row(cost.upstash.commands) } : {}),
    ...Object.fromEntries(cpu.map(([name, ms]) => [`CPU ms ${name === 'postgres' ? 'postgres (server)' : name}`, ms === null ? { [per]: 'not measured', total: 'not measured' } : row(ms)])),
    [cpu.some(([, ms]) => ms === null) ? 'CPU ms total (of the measured)' : 'CPU ms total']: row(cpu.reduce((sum, [, ms]) => sum + (ms ?? 0), 0)),
  }
  const tables = Object.fromEntries(
    cost.tables.map((t) => [t.table, { inserted: t.inserted, updated: t.updated, 'of which HOT': t.hotUpdated, deleted: t.deleted, [`writes ${per}`]: figure(writes(t) / units) }]),
  )
  return [
    `cost — ${units.toLocaleString('en')} ${unitName}s over ${cost.seconds.toFixed(1)} s; "(server)": the whole PostgreSQL server, other databases' work included`,
    tableText(rows),
    ...(cost.otherCommits > 0 ? [`other databases committed ${cost.otherCommits.toLocaleString('en')} transactions meanwhile: the (server) figures are high by their work\n`] : []),
    `tables with the most row writes`,
    tableText(tables),
  ].join('\n')
}
