// One Postgres client for every mode (Supabase pooler, local server, embedded PGlite over the wire)
// and the two ways to use it: as a signed-in user under RLS, or as the service that bypasses it.
import postgres from 'postgres'
import type { JwtClaims } from '@/core/auth/claims'
import type { Config } from '@/server/config'

export type Sql = postgres.Sql
export type Tx = postgres.TransactionSql

export interface Db {
  sql: Sql
  /** Runs `fn` in one transaction as role `authenticated` with the verified claims, exactly as Supabase does. */
  withUser<T>(claims: JwtClaims, fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Runs `fn` in one transaction with the service connection (RLS bypassed): filter by tenant explicitly. */
  withService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  end(): Promise<void>
}

/** How long the server lets one statement run, one lock wait last and a transaction sit idle, in ms (0 = no limit). */
export interface DbTimeouts {
  statementMs: number
  lockMs: number
  idleInTransactionMs: number
}

export const dbTimeouts = (c: Pick<Config, 'DB_STATEMENT_TIMEOUT_MS' | 'DB_LOCK_TIMEOUT_MS' | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'>): DbTimeouts => ({
  statementMs: c.DB_STATEMENT_TIMEOUT_MS,
  lockMs: c.DB_LOCK_TIMEOUT_MS,
  idleInTransactionMs: c.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
})

/**
 * Whether the connection may keep named prepared statements. postgres.js sends a query with parameters
 * as an unnamed statement in two round trips (parse and describe, then bind and execute) every time; a
 * named one is parsed and described once per connection, and then travels in one. A direct connection
 * and Supavisor's session mode keep them; Supavisor's transaction mode (port 6543) hands each transaction
 * to any server connection, where the statement would not exist. The embedded server is one PGlite
 * session shared by every connection, where they would pile up: `npm run dev` turns them off there.
 */
export const keepsPreparedStatements = (url: string) => new URL(url).port !== '6543'

export const preparesStatements = (c: Pick<Config, 'DATABASE_URL' | 'DB_PREPARED_STATEMENTS'>) =>
  c.DB_PREPARED_STATEMENTS === 'auto' ? keepsPreparedStatements(c.DATABASE_URL) : c.DB_PREPARED_STATEMENTS === 'on'

/**
 * `timeouts` go in the startup message as server parameters, so they hold for every statement of every
 * connection from its first, autocommit ones included, at no cost per query. Postgres ends the statement
 * (57014), the lock wait (55P03) or the idle transaction's session (25P03) itself; the embedded server
 * enforces the first and the last the same way (dev/embedded-postgres.ts). Without them the server's own
 * settings apply: migrations and the tools that seed or copy in bulk leave them out. Supabase's
 * transaction pooler (port 6543) does not pass startup parameters on to the server connections it
 * shares, so there the project's own settings apply (for `postgres`, a 2 minute statement timeout).
 * Beware that postgres.js 3.4.9 mishandles a transaction whose connection the server ends, as the idle
 * limit does (porsager/postgres#1155): the callback's next statement, or its COMMIT, throws outside any
 * promise, or runs on whatever that connection serves after it reconnects.
 */
export function createDb(url: string, options: { max?: number; timeouts?: DbTimeouts; prepare?: boolean } = {}): Db {
  const sql = postgres(url, {
    prepare: options.prepare ?? keepsPreparedStatements(url),
    max: options.max ?? 5,
    idle_timeout: 20,
    connect_timeout: 10,
    connection: options.timeouts
      ? {
          statement_timeout: options.timeouts.statementMs,
          lock_timeout: options.timeouts.lockMs,
          idle_in_transaction_session_timeout: options.timeouts.idleInTransactionMs,
        }
      : {},
    onnotice: () => {},
    transform: { undefined: null },
  })
  return {
    sql,
    async withUser(claims, fn) {
      return sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                        set_config('request.jwt.claim.sub', ${claims.sub}, true)`
        await tx`set local role authenticated`
        return fn(tx)
      }) as Promise<Awaited<ReturnType<typeof fn>>>
    },
    async withService(fn) {
      return sql.begin((tx) => fn(tx)) as Promise<Awaited<ReturnType<typeof fn>>>
    },
    end: () => sql.end({ timeout: 5 }),
  }
}
