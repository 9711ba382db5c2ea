// The JobQueue port: durable queues that several workers drain together. A claimed job is invisible for
// its visibility timeout; if its worker dies, the job comes back (recoverStuck, or the next claim).
// Every claim issues a new lease, so a slow worker whose job was taken over cannot ack it twice.
// Sends live in one queue per phone number (`sends:<phone_number_id>`): each number drains at its own
// MPS without a slow number's backlog standing in a fast one's way. Ops see them as the `sends` family,
// beside `webhooks`: the stored webhook payloads, which are their own queue (webhook_events), not a JobQueue.
export const QUEUE_FAMILIES = ['sends', 'webhooks'] as const
export type QueueFamily = (typeof QUEUE_FAMILIES)[number]
export type QueueName = `sends:${string}`

/** Lists every number's send queue. */
export const SEND_QUEUE_PREFIX = 'sends:'
export const sendQueueFor = (phoneNumberId: string): QueueName => `${SEND_QUEUE_PREFIX}${phoneNumberId}`

export interface NewJob<P> {
  payload: P
  /** Idempotency: a job whose id is already queued (pending, processing or dead) is not added again. */
  id?: string
  /** Epoch ms before which the job is not claimed. */
  runAt?: number
}

export interface JobRef {
  id: string
  lease: string
}

export interface ClaimedJob<P> extends JobRef {
  payload: P
  /** Claims so far, including this one, minus releases. */
  attempts: number
  enqueuedAt: number
  /**
   * When the job's previous claim began, if that claim was lost: its visibility ran out before its
   * worker acked, retried or released it (the worker died or stalled). Whatever that worker was doing
   * may have happened; null when the job was never claimed or every earlier claim ended cleanly.
   */
  lostClaimAt: number | null
}

export interface DeadJob<P> {
  id: string
  payload: P
  attempts: number
  reason: string
  failedAt: number
}

export interface QueueStats {
  /** Ready to be claimed now. */
  pending: number
  /** Waiting for their runAt (retries, delayed sends). */
  delayed: number
  /** Claimed and not yet acked. */
  processing: number
  dead: number
}

export interface JobQueue {
  /** Adds jobs in one round trip; answers how many were new. */
  enqueue<P>(queue: QueueName, jobs: NewJob<P>[]): Promise<number>
  /** Claims up to `max` ready jobs, oldest runAt first, invisible to others for `visibilityMs`. */
  claim<P>(queue: QueueName, max: number, visibilityMs: number): Promise<ClaimedJob<P>[]>
  /** Done: removes the job. False when the lease was lost (the job was reclaimed). */
  ack(queue: QueueName, job: JobRef): Promise<boolean>
  /** Acks many jobs in one round trip; answers how many still held their lease. */
  ackMany(queue: QueueName, jobs: JobRef[]): Promise<number>
  /** Failed this attempt: run again at `at` (epoch ms). The attempt counts. */
  retry(queue: QueueName, job: JobRef, at: number, reason: string): Promise<boolean>
  /** Not tried (e.g. its recipient's pair rate): run again at `at` without counting an attempt. */
  release(queue: QueueName, job: JobRef, at: number): Promise<boolean>
  /** Gave up: moves the job to the dead-letter list with the reason. */
  deadLetter(queue: QueueName, job: JobRef, reason: string): Promise<boolean>
  stats(queue: QueueName): Promise<QueueStats>
  listDead<P>(queue: QueueName, limit: number): Promise<DeadJob<P>[]>
  /** Puts one dead job (or all) back to pending with its attempts reset; answers how many. */
  retryDead(queue: QueueName, jobId?: string): Promise<number>
  /** Returns jobs whose visibility timeout passed (their worker died) to pending; answers how many. */
  recoverStuck(queue: QueueName): Promise<number>
  /** Deletes dead jobs, or every job of the queue; answers how many. */
  clear(queue: QueueName, what: 'dead' | 'all'): Promise<number>
  /** Queues whose name starts with `prefix` and that hold any job (pending, delayed, processing or dead). */
  queues(prefix: string): Promise<QueueName[]>
  /** Queues whose name starts with `prefix` and that have a job a claim would take now (due, or expired). */
  readyQueues(prefix: string): Promise<QueueName[]>
}
