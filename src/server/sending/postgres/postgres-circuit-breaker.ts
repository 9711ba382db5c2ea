// CircuitBreaker on Postgres (engine.breakers), one row per key; a key without a row is closed.
// The single half-open probe is decided by the row lock of one UPDATE (engine.breaker_acquire).
import type { BreakerDecision, BreakerPhase, BreakerState, CircuitBreaker } from '@/core/sending/circuit-breaker'
import type { Sql } from '@/server/db/create-db'

interface StateRow {
  phase: BreakerPhase
  failures: number
  retry_at: number | null
}

const toState = (r: StateRow): BreakerState => ({ phase: r.phase, failures: r.failures, retryAt: r.retry_at })

/** `sql`: the service connection, which owns the engine schema. */
export function createPostgresCircuitBreaker(sql: Sql): CircuitBreaker {
  return {
    async acquire(key, policy): Promise<BreakerDecision> {
      const [row] = await sql<{ allowed: boolean; probe: boolean; retry_in_ms: number | null }[]>`
        select * from engine.breaker_acquire(${key}, ${policy.openMs}::double precision)`
      return row!.allowed ? { allowed: true, probe: row!.probe } : { allowed: false, retryInMs: row!.retry_in_ms ?? 0 }
    },

    async success(key) {
      await sql`select engine.breaker_success(${key})`
    },

    async failure(key, policy) {
      const [row] = await sql<StateRow[]>`
        select * from engine.breaker_failure(${key}, ${policy.threshold}::integer, ${policy.openMs}::double precision)`
      return toState(row!)
    },

    async states(keys) {
      if (keys.length === 0) return {}
      const rows = await sql<({ key: string } & StateRow)[]>`select * from engine.breaker_states(${keys}::text[])`
      return Object.fromEntries(rows.map((r) => [r.key, toState(r)]))
    },
  }
}
