// JobQueue on Postgres (engine.jobs). Every method is one call of an engine.* function, so each is a
// single statement and round trip; times come from the database clock.
import type postgres from 'postgres'
import type { ClaimedJob, DeadJob, JobQueue, JobRef, NewJob, QueueName, QueueStats } from '@/core/sending/job-queue'
import type { Sql } from '@/server/db/create-db'

/** `sql`: the service connection, which owns the engine schema. */
export function createPostgresJobQueue(sql: Sql): JobQueue {
  return {
    async enqueue<P>(queue: QueueName, jobs: NewJob<P>[]) {
      if (jobs.length === 0) return 0
      // One JSON array parameter: a 1,000-job batch is one statement with one bind value.
      const batch = jobs.map((j) => ({ id: j.id, payload: j.payload, runAt: j.runAt })) as postgres.JSONValue
      const [row] = await sql<{ added: number }[]>`select engine.enqueue_jobs(${queue}, ${sql.json(batch)}) as added`
      return row!.added
    },

    async claim<P>(queue: QueueName, max: number, visibilityMs: number) {
      if (max <= 0) return []
      const rows = await sql<{ id: string; payload: P; attempts: number; lease: string; enqueued_at: number; lost_claim_at: number | null }[]>`
        select * from engine.claim_jobs(${queue}, ${max}::integer, ${visibilityMs}::double precision)`
      return rows.map(
        (r): ClaimedJob<P> => ({ id: r.id, lease: r.lease, payload: r.payload, attempts: r.attempts, enqueuedAt: r.enqueued_at, lostClaimAt: r.lost_claim_at }),
      )
    },

    async ack(queue: QueueName, job: JobRef) {
      const [row] = await sql<{ ok: boolean }[]>`select engine.ack_job(${queue}, ${job.id}, ${job.lease}) as ok`
      return row!.ok
    },

    async ackMany(queue: QueueName, jobs: JobRef[]) {
      if (jobs.length === 0) return 0
      const [row] = await sql<{ n: number }[]>`
        select engine.ack_jobs(${queue}, ${jobs.map((j) => j.id)}::text[], ${jobs.map((j) => j.lease)}::text[]) as n`
      return row!.n
    },

    async retry(queue: QueueName, job: JobRef, at: number, reason: string) {
      const [row] = await sql<{ ok: boolean }[]>`
        select engine.reschedule_job(${queue}, ${job.id}, ${job.lease}, ${at}::double precision, true, ${reason}) as ok`
      return row!.ok
    },

    async release(queue: QueueName, job: JobRef, at: number) {
      const [row] = await sql<{ ok: boolean }[]>`
        select engine.reschedule_job(${queue}, ${job.id}, ${job.lease}, ${at}::double precision, false, null) as ok`
      return row!.ok
    },

    async deadLetter(queue: QueueName, job: JobRef, reason: string) {
      const [row] = await sql<{ ok: boolean }[]>`select engine.dead_letter_job(${queue}, ${job.id}, ${job.lease}, ${reason}) as ok`
      return row!.ok
    },

    async stats(queue: QueueName) {
      const [row] = await sql<QueueStats[]>`select pending, delayed, processing, dead from engine.queue_stats(${queue})`
      return { pending: row!.pending, delayed: row!.delayed, processing: row!.processing, dead: row!.dead }
    },

    async listDead<P>(queue: QueueName, limit: number) {
      const rows = await sql<{ id: string; payload: P; attempts: number; reason: string; failed_at: number }[]>`
        select * from engine.list_dead_jobs(${queue}, ${limit}::integer)`
      return rows.map((r): DeadJob<P> => ({ id: r.id, payload: r.payload, attempts: r.attempts, reason: r.reason, failedAt: r.failed_at }))
    },

    async retryDead(queue: QueueName, jobId?: string) {
      const [row] = await sql<{ n: number }[]>`select engine.retry_dead_jobs(${queue}, ${jobId ?? null}::text) as n`
      return row!.n
    },

    async recoverStuck(queue: QueueName) {
      const [row] = await sql<{ n: number }[]>`select engine.recover_stuck_jobs(${queue}) as n`
      return row!.n
    },

    async clear(queue: QueueName, what: 'dead' | 'all') {
      const [row] = await sql<{ n: number }[]>`select engine.clear_jobs(${queue}, ${what}) as n`
      return row!.n
    },

    async queues(prefix: string) {
      return (await sql<{ q: QueueName }[]>`select q from engine.list_queues(${prefix}, false) q`).map((r) => r.q)
    },

    async readyQueues(prefix: string) {
      return (await sql<{ q: QueueName }[]>`select q from engine.list_queues(${prefix}, true) q`).map((r) => r.q)
    },
  }
}
