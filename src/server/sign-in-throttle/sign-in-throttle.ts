// The sign-in throttle's adapter, chosen from configuration as the send engine's are: Upstash Redis
// (REST) when configured, else Postgres. One process-wide instance.
import { Redis } from '@upstash/redis'
import type { SignInThrottle, SignInThrottlePolicy } from '@/core/auth/sign-in-throttle'
import { config, type Config } from '@/server/config'
import type { Sql } from '@/server/db/create-db'
import { db } from '@/server/db/db'
import { createPostgresSignInThrottle } from './postgres-sign-in-throttle'
import { createUpstashSignInThrottle } from './upstash-sign-in-throttle'

type ThrottleConfig = Pick<
  Config,
  | 'SIGN_IN_THROTTLE_DRIVER'
  | 'UPSTASH_REDIS_REST_URL'
  | 'UPSTASH_REDIS_REST_TOKEN'
  | 'SIGN_IN_MAX_FAILURES'
  | 'SIGN_IN_MAX_FAILURES_PER_IP'
  | 'SIGN_IN_WINDOW_SECONDS'
  | 'SIGN_IN_MAX_LOCKOUT_SECONDS'
>

export function signInPolicy(c: ThrottleConfig): SignInThrottlePolicy {
  const windowMs = c.SIGN_IN_WINDOW_SECONDS * 1000
  return {
    perAccount: { failures: c.SIGN_IN_MAX_FAILURES, windowMs },
    perIp: { failures: c.SIGN_IN_MAX_FAILURES_PER_IP, windowMs },
    maxLockoutMs: Math.max(windowMs, c.SIGN_IN_MAX_LOCKOUT_SECONDS * 1000),
    strikeMemoryMs: 24 * 60 * 60_000,
  }
}

export function createSignInThrottle(c: ThrottleConfig, sql: Sql): SignInThrottle {
  const driver = c.SIGN_IN_THROTTLE_DRIVER ?? (c.UPSTASH_REDIS_REST_URL ? 'upstash' : 'postgres')
  if (driver === 'postgres') return createPostgresSignInThrottle(sql, signInPolicy(c))
  const redis = new Redis({ url: c.UPSTASH_REDIS_REST_URL!, token: c.UPSTASH_REDIS_REST_TOKEN!, enableTelemetry: false })
  return createUpstashSignInThrottle(redis, signInPolicy(c))
}

let throttle: SignInThrottle | undefined

export function signInThrottle(): SignInThrottle {
  throttle ??= createSignInThrottle(config(), db().sql)
  return throttle
}
