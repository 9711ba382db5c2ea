// The web process's hand-off to the worker, after its response: jobs keyed by the row they are about,
// so a repeated hand-off is a no-op. A failure loses nothing — the row is stored, and the worker's sweep
// enqueues whatever was not handed off.
import { sendQueueFor, type NewJob, type QueueName } from '@/core/sending/job-queue'
import { groupBy } from '@/core/util/group-by'
import { log } from '@/server/log'
import { sendEngine } from './engine'

export async function handOff(queue: QueueName, jobs: NewJob<unknown>[]): Promise<void> {
  try {
    await sendEngine().queue.enqueue(queue, jobs)
  } catch (err) {
    log.error({ err, queue, count: jobs.length }, 'hand-off to the queue failed; the sweep will retry')
  }
}

export const sendJob = (messageId: string): NewJob<{ messageId: string }> => ({ id: messageId, payload: { messageId } })
/** Hands outbound messages to their numbers' send queues. */
export async function handOffSends(messages: { id: string; phoneNumberId: string }[]) {
  const byQueue = groupBy(messages, (m) => sendQueueFor(m.phoneNumberId))
  await Promise.all([...byQueue].map(([queue, items]) => handOff(queue, items.map((m) => sendJob(m.id)))))
}
export const webhookJob = (eventId: string): NewJob<{ eventId: string }> => ({ id: eventId, payload: { eventId } })
