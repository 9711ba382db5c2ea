// The JobQueue port on Upstash Redis. Per queue: a sorted set `ready` (pending and delayed, scored by
// runAt), `processing` (scored by visible-until), `dead` (scored by failedAt), and one hash per job
// attribute keyed by job id; the payload hash doubles as the id registry. Each operation is one Lua
// script (scripts.ts), and a claim also takes back claims whose visibility ran out.
import { randomUUID } from 'node:crypto'
import type { Redis } from '@upstash/redis'
import type { ClaimedJob, DeadJob, JobQueue, JobRef, NewJob, QueueName, QueueStats } from '@/core/sending/job-queue'
import { jsonReply, loadScript, numberReply, type RunScript } from './redis-script'
import {
  ACK,
  CLAIM,
  CLEAR_ALL,
  CLEAR_DEAD,
  DEAD_LETTER,
  ENQUEUE,
  LIST_DEAD,
  QUEUE_KEY_NAMES,
  RECOVER_STUCK,
  RELEASE,
  RETRY,
  RETRY_DEAD,
  STATS,
} from './scripts'

/** Jobs per enqueue script call; a larger enqueue sends several calls in the same request. */
const ENQUEUE_BATCH = 1_000
/** Jobs one script call moves or deletes in bulk work (recovery, retrying or clearing dead jobs). */
const SWEEP_BATCH = 1_000

interface ClaimReply {
  id: string
  lease: string
  payload: string
  attempts: number
  enqueuedAt: number
  lostClaimAt?: number
}

interface DeadReply {
  id: string
  payload: string | false
  attempts: number
  reason: string
  failedAt: number
}

export function createUpstashJobQueue(redis: Redis, prefix = 'conversa'): JobQueue {
  const run = {
    enqueue: loadScript(redis, ENQUEUE),
    claim: loadScript(redis, CLAIM),
    ack: loadScript(redis, ACK),
    retry: loadScript(redis, RETRY),
    release: loadScript(redis, RELEASE),
    deadLetter: loadScript(redis, DEAD_LETTER),
    stats: loadScript(redis, STATS),
    listDead: loadScript(redis, LIST_DEAD),
    retryDead: loadScript(redis, RETRY_DEAD),
    recoverStuck: loadScript(redis, RECOVER_STUCK),
    clearDead: loadScript(redis, CLEAR_DEAD),
    clearAll: loadScript(redis, CLEAR_ALL),
  }

  // The braces are a hash tag: one queue's keys share a cluster slot, as its scripts need.
  const keysOf = (queue: QueueName) => QUEUE_KEY_NAMES.map((name) => `${prefix}:queue:{${queue}}:${name}`)
  const keyOf = (queue: QueueName, name: (typeof QUEUE_KEY_NAMES)[number]) => `${prefix}:queue:{${queue}}:${name}`
  // Every queue ever enqueued to, so the per-number send queues can be listed.
  const registry = `${prefix}:queues`
  const registered = async (prefixOfName: string) =>
    ((await redis.smembers(registry)) as unknown[]).map(String).filter((q): q is QueueName => q.startsWith(prefixOfName))

  const call = (script: RunScript, queue: QueueName, args: (string | number)[]) => script(keysOf(queue), args)
  const succeeded = async (reply: Promise<unknown>) => numberReply(await reply) === 1

  // Repeats a bulk script until a call moves less than a full batch; answers the total.
  const sweep = async (step: () => Promise<unknown>) => {
    let total = 0
    for (;;) {
      const moved = numberReply(await step())
      total += moved
      if (moved < SWEEP_BATCH) return total
    }
  }

  return {
    async enqueue<P>(queue: QueueName, jobs: NewJob<P>[]) {
      const args = jobs.flatMap((job) => [job.id ?? randomUUID(), runAtArg(job.runAt), JSON.stringify(job.payload) ?? 'null'])
      const calls: Promise<unknown>[] = []
      for (let i = 0; i < args.length; i += ENQUEUE_BATCH * 3) calls.push(call(run.enqueue, queue, args.slice(i, i + ENQUEUE_BATCH * 3)))
      if (jobs.length) calls.push(redis.sadd(registry, queue))
      // Issued together, the calls travel in one pipelined request.
      const added = (await Promise.all(calls)).slice(0, jobs.length ? -1 : undefined)
      return added.reduce<number>((sum, reply) => sum + numberReply(reply), 0)
    },

    async claim<P>(queue: QueueName, max: number, visibilityMs: number) {
      const count = Math.floor(max)
      if (!(count >= 1)) return []
      if (!(visibilityMs > 0)) throw new RangeError(`visibilityMs must be positive, got ${visibilityMs}`)
      const reply = await call(run.claim, queue, [count, Math.ceil(visibilityMs), randomUUID(), SWEEP_BATCH])
      return listReply<ClaimReply>(reply).map(
        (job): ClaimedJob<P> => ({
          id: String(job.id),
          lease: String(job.lease),
          payload: JSON.parse(job.payload) as P,
          attempts: Number(job.attempts),
          enqueuedAt: Number(job.enqueuedAt),
          lostClaimAt: job.lostClaimAt == null ? null : Number(job.lostClaimAt),
        }),
      )
    },

    async ack(queue: QueueName, job: JobRef) {
      return succeeded(call(run.ack, queue, [job.id, job.lease]))
    },

    async ackMany(queue: QueueName, jobs: JobRef[]) {
      // Issued in one tick, the acks travel as one pipelined request.
      const acked = await Promise.all(jobs.map((job) => succeeded(call(run.ack, queue, [job.id, job.lease]))))
      return acked.filter(Boolean).length
    },

    async retry(queue: QueueName, job: JobRef, at: number, reason: string) {
      return succeeded(call(run.retry, queue, [job.id, job.lease, timeArg(at), reason]))
    },

    async release(queue: QueueName, job: JobRef, at: number) {
      return succeeded(call(run.release, queue, [job.id, job.lease, timeArg(at)]))
    },

    async deadLetter(queue: QueueName, job: JobRef, reason: string) {
      return succeeded(call(run.deadLetter, queue, [job.id, job.lease, reason]))
    },

    async stats(queue: QueueName) {
      const stats = jsonReply<QueueStats>(await call(run.stats, queue, []))
      return { pending: Number(stats.pending), delayed: Number(stats.delayed), processing: Number(stats.processing), dead: Number(stats.dead) }
    },

    async listDead<P>(queue: QueueName, limit: number) {
      const count = Math.floor(limit)
      if (!(count >= 1)) return []
      return listReply<DeadReply>(await call(run.listDead, queue, [count])).map(
        (job): DeadJob<P> => ({
          id: String(job.id),
          payload: (typeof job.payload === 'string' ? JSON.parse(job.payload) : null) as P,
          attempts: Number(job.attempts),
          reason: String(job.reason),
          failedAt: Number(job.failedAt),
        }),
      )
    },

    async retryDead(queue: QueueName, jobId?: string) {
      if (jobId !== undefined) return numberReply(await call(run.retryDead, queue, ['one', jobId]))
      return sweep(() => call(run.retryDead, queue, ['all', SWEEP_BATCH]))
    },

    async recoverStuck(queue: QueueName) {
      return sweep(() => call(run.recoverStuck, queue, [SWEEP_BATCH]))
    },

    async clear(queue: QueueName, what: 'dead' | 'all') {
      if (what === 'all') {
        const [cleared] = await Promise.all([call(run.clearAll, queue, []), redis.srem(registry, queue)])
        return numberReply(cleared)
      }
      return sweep(() => call(run.clearDead, queue, [SWEEP_BATCH]))
    },

    async queues(prefixOfName: string) {
      const names = await registered(prefixOfName)
      const sizes = await Promise.all(
        names.map(async (q) => (await Promise.all((['ready', 'processing', 'dead'] as const).map((k) => redis.zcard(keyOf(q, k))))).reduce((a, b) => a + b, 0)),
      )
      return names.filter((_, i) => sizes[i]! > 0)
    },

    async readyQueues(prefixOfName: string) {
      const names = await registered(prefixOfName)
      // The caller's clock decides "due": a skew of a few ms only shifts when a lane starts.
      const now = Date.now()
      const due = await Promise.all(
        names.map(async (q) => (await redis.zcount(keyOf(q, 'ready'), '-inf', now)) + (await redis.zcount(keyOf(q, 'processing'), '-inf', now))),
      )
      return names.filter((_, i) => due[i]! > 0)
    },
  }
}

// '' asks the script for Redis's now.
function runAtArg(runAt: number | undefined): string {
  return runAt === undefined || runAt === null ? '' : timeArg(runAt)
}

function timeArg(at: number): string {
  if (!Number.isFinite(at)) throw new RangeError(`expected an epoch ms time, got ${at}`)
  return at.toFixed(3)
}

// A script's JSON list; tolerates cjson's {} for an empty table.
function listReply<T>(reply: unknown): T[] {
  const list = jsonReply<unknown>(reply)
  return Array.isArray(list) ? (list as T[]) : []
}
