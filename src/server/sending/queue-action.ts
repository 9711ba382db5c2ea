// Ops actions on a queue family (`sends` spans every number's queue): retry dead jobs (one by jobId, or
// all), return stuck jobs, or clear the dead-letter list. Pending work is never thrown away from the API.
import { familyPrefix, type JobQueue, type QueueFamily } from '@/core/sending/job-queue'

export type QueueAction = 'retry_dlq' | 'clear' | 'recover_stuck'

export async function queueAction(queue: JobQueue, input: { action: QueueAction; queue: QueueFamily; jobId?: string }) {
  const names = await queue.queues(familyPrefix(input.queue))
  const perQueue = await Promise.all(
    names.map((name) => {
      if (input.action === 'retry_dlq') return queue.retryDead(name, input.jobId)
      if (input.action === 'recover_stuck') return queue.recoverStuck(name)
      return queue.clear(name, 'dead')
    }),
  )
  return { action: input.action, queue: input.queue, affected: perQueue.reduce((a, b) => a + b, 0) }
}
