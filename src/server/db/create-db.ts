// One Postgres client for every mode (Supabase pooler, local server, embedded PGlite over the wire)
// and the two ways to use it: as a signed-in user under RLS, or as the service that bypasses it.
import postgres from 'postgres'
import type { JwtClaims } from '@/core/auth/claims'

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

export function createDb(url: string, options: { max?: number } = {}): Db {
  const sql = postgres(url, {
    // Supabase's transaction pooler and the PGlite socket both need unnamed statements.
    prepare: false,
    max: options.max ?? 5,
    idle_timeout: 20,
    connect_timeout: 10,
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
