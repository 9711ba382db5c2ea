// Pacer on Postgres: engine.rate_states (GCRA slots and the slow-down factor), engine.pair_credits
// (pair-rate bucket) and engine.unique_members (messaging-limit window). One statement per call; the
// database clock is the one clock all workers share.
import type { Pacer, RateState } from '@/core/sending/pacer'
import type { Sql } from '@/server/db/create-db'

function positive(name: string, value: number) {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`)
}

/** `sql`: the service connection, which owns the engine schema. */
export function createPostgresPacer(sql: Sql): Pacer {
  return {
    async reserve(key, perSecond, count) {
      positive('perSecond', perSecond)
      const [row] = await sql<{ wait: number }[]>`
        select engine.reserve_slots(${key}, ${perSecond}::double precision, ${count}::integer) as wait`
      return row!.wait
    },

    async slowDown(key, by, recoveryMs) {
      positive('by', by)
      const [row] = await sql<{ factor: number }[]>`
        select engine.slow_down(${key}, ${by}::double precision, ${recoveryMs}::double precision) as factor`
      return row!.factor
    },

    async rateStates(keys) {
      if (keys.length === 0) return {}
      const rows = await sql<{ key: string; factor: number; backlog_ms: number }[]>`
        select * from engine.read_rate_states(${keys}::text[])`
      return Object.fromEntries(rows.map((r): [string, RateState] => [r.key, { factor: r.factor, backlogMs: r.backlog_ms }]))
    },

    async tryTake(key, intervalMs, burst) {
      positive('intervalMs', intervalMs)
      const [row] = await sql<{ wait: number }[]>`
        select engine.try_take(${key}, ${intervalMs}::double precision, ${burst}::double precision) as wait`
      return row!.wait
    },

    async tryTakeMany(keys, intervalMs, burst) {
      positive('intervalMs', intervalMs)
      if (keys.length === 0) return []
      const [row] = await sql<{ waits: number[] }[]>`
        select engine.try_take_many(${keys}::text[], ${intervalMs}::double precision, ${burst}::double precision) as waits`
      return row!.waits
    },

    async admitUnique(key, member, limit, windowMs) {
      const [row] = await sql<{ wait: number }[]>`
        select engine.admit_unique(${key}, ${member}, ${limit}::integer, ${windowMs}::double precision) as wait`
      return row!.wait
    },

    async uniqueCount(key, windowMs) {
      const [row] = await sql<{ n: number }[]>`select engine.unique_count(${key}, ${windowMs}::double precision) as n`
      return row!.n
    },
  }
}
