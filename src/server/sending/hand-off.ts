// The web process's hand-off to the worker, after its response: jobs keyed by the row they are about,
// so a repeated hand-off is a no-op. A failure loses nothing — the row is stored, and the worker's sweep
// enqueues whatever was not handed off.
import { sendQueueFor, type JobQueue, type NewJob, type QueueName } from '@/core/sending/job-queue'
import { groupBy } from '@/core/util/group-by'
import { log } from '@/server/log'
import { sendEngine } from './engine'

export const sendJob = (messageId: string): NewJob<{ messageId: string }> => ({ id: messageId, payload: { messageId } })
export const webhookJob = (eventId: string): NewJob<{ eventId: string }> => ({ id: eventId, payload: { eventId } })

/** Enqueues outbound messages on their numbers' send queues; answers how many were new. */
export async function enqueueSends(queue: JobQueue, messages: { id: string; phoneNumberId: string }[]): Promise<number> {
  let added = 0
  for (const [name, items] of groupBy(messages, (m) => sendQueueFor(m.phoneNumberId))) added += await queue.enqueue(name, items.map((m) => sendJob(m.id)))
  return added
}

async function logFailure(queue: string, count: number, enqueue: () => Promise<unknown>) {
  try {
    await enqueue()
  } catch (err) {
    log.error({ err, queue, count }, 'hand-off to the queue failed; the sweep will retry')
  }
}

export const handOff = (queue: QueueName, jobs: NewJob<unknown>[]) => logFailure(queue, jobs.length, () => sendEngine().queue.enqueue(queue, jobs))

/** Hands outbound messages to their numbers' send queues. */
export const handOffSends = (messages: { id: string; phoneNumberId: string }[]) =>
  logFailure('sends', messages.length, () => enqueueSends(sendEngine().queue, messages))
