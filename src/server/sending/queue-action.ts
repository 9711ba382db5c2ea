// Ops actions on a queue family (`sends` spans every number's queue; `webhooks` is the stored payloads):
// retry dead jobs (one by jobId, or all), return stuck jobs, or clear the dead-letter list. Pending work
// is never thrown away from the API.
import { SEND_QUEUE_PREFIX, type JobQueue, type QueueFamily } from '@/core/sending/job-queue'
import type { Db } from '@/server/db/create-db'
import { clearDeadEvents, retryDeadEvents } from '@/server/whatsapp/webhook-event-queue'

export type QueueAction = 'retry_dlq' | 'clear' | 'recover_stuck'

export async function queueAction(queue: JobQueue, db: Db, input: { action: QueueAction; queue: QueueFamily; jobId?: string }) {
  const done = (affected: number) => ({ action: input.action, queue: input.queue, affected })
  if (input.queue === 'webhooks') {
    // A payload's claim is a row lock that ends with its worker's transaction: nothing is ever stuck.
    if (input.action === 'recover_stuck') return done(0)
    return done(input.action === 'retry_dlq' ? await retryDeadEvents(db, input.jobId) : await clearDeadEvents(db))
  }
  const names = await queue.queues(SEND_QUEUE_PREFIX)
  const perQueue = await Promise.all(
    names.map((name) => {
      if (input.action === 'retry_dlq') return queue.retryDead(name, input.jobId)
      if (input.action === 'recover_stuck') return queue.recoverStuck(name)
      return queue.clear(name, 'dead')
    }),
  )
  return done(perQueue.reduce((a, b) => a + b, 0))
}
