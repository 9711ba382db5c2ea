// The send engine's three ports, backed by Upstash Redis (REST) when configured, else by Postgres.
// One process-wide instance; the worker and the ops API share the store, so they agree on state.
import { Redis } from '@upstash/redis'
import type { Sql } from 'postgres'
import type { CircuitBreaker } from '@/core/sending/circuit-breaker'
import type { JobQueue } from '@/core/sending/job-queue'
import type { Pacer } from '@/core/sending/pacer'
import { config, type Config } from '@/server/config'
import { db } from '@/server/db/db'
import { createPostgresCircuitBreaker } from './postgres/postgres-circuit-breaker'
import { createPostgresJobQueue } from './postgres/postgres-job-queue'
import { createPostgresPacer } from './postgres/postgres-pacer'
import { createUpstashCircuitBreaker } from './upstash/upstash-circuit-breaker'
import { createUpstashJobQueue } from './upstash/upstash-job-queue'
import { createUpstashPacer } from './upstash/upstash-pacer'

export interface SendEngine {
  driver: 'postgres' | 'upstash'
  queue: JobQueue
  pacer: Pacer
  breaker: CircuitBreaker
}

export function createSendEngine(c: Pick<Config, 'QUEUE_DRIVER' | 'UPSTASH_REDIS_REST_URL' | 'UPSTASH_REDIS_REST_TOKEN'>, sql: Sql): SendEngine {
  const driver = c.QUEUE_DRIVER ?? (c.UPSTASH_REDIS_REST_URL ? 'upstash' : 'postgres')
  if (driver === 'postgres')
    return { driver, queue: createPostgresJobQueue(sql), pacer: createPostgresPacer(sql), breaker: createPostgresCircuitBreaker(sql) }
  const redis = new Redis({ url: c.UPSTASH_REDIS_REST_URL!, token: c.UPSTASH_REDIS_REST_TOKEN!, enableTelemetry: false })
  return { driver, queue: createUpstashJobQueue(redis), pacer: createUpstashPacer(redis), breaker: createUpstashCircuitBreaker(redis) }
}

let engine: SendEngine | undefined

export function sendEngine(): SendEngine {
  engine ??= createSendEngine(config(), db().sql)
  return engine
}
