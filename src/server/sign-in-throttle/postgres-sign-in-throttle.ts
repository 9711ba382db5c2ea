// The SignInThrottle port on Postgres: public.sign_in_throttle, one row per key, changed only through
// private.sign_in_reserve / sign_in_refund (one statement per call, timed by the database clock).
import type { SignInKeys, SignInThrottle, SignInThrottlePolicy } from '@/core/auth/sign-in-throttle'
import type { Sql } from '@/server/db/create-db'

/** `sql`: the service connection, which owns the table (the API roles are granted nothing on it). */
export function createPostgresSignInThrottle(sql: Sql, policy: SignInThrottlePolicy): SignInThrottle {
  const accountKey = (keys: SignInKeys) => `account:${keys.account}`
  const budgetsOf = (keys: SignInKeys) => {
    const budgets = [{ key: accountKey(keys), ...policy.perAccount }]
    if (keys.ip) budgets.push({ key: `ip:${keys.ip}`, ...policy.perIp })
    return budgets
  }

  return {
    async reserve(keys) {
      const budgets = budgetsOf(keys)
      const [row] = await sql<{ wait: number }[]>`
        select private.sign_in_reserve(
          ${budgets.map((b) => b.key)}::text[], ${budgets.map((b) => b.failures)}::integer[],
          ${budgets.map((b) => b.windowMs)}::double precision[],
          ${policy.maxLockoutMs}::double precision, ${policy.strikeMemoryMs}::double precision) as wait`
      const wait = row!.wait
      return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true }
    },

    async succeeded(keys) {
      const budgets = budgetsOf(keys)
      await sql`
        select private.sign_in_refund(${budgets.map((b) => b.key)}::text[], ${budgets.map((b) => b.failures)}::integer[], ${accountKey(keys)})`
    },
  }
}
