// The web process's hand-off of outbound messages to the worker, after its response: jobs keyed by the
// message they send, so a repeated hand-off is a no-op. A failure loses nothing — the row is stored, and
// the worker's sweep enqueues whatever was not handed off.
import { sendQueueFor, type JobQueue, type NewJob } from '@/core/sending/job-queue'
import { groupBy } from '@/core/util/group-by'
import { log } from '@/server/log'
import { sendEngine } from './engine'

export const sendJob = (messageId: string): NewJob<{ messageId: string }> => ({ id: messageId, payload: { messageId } })

/** Enqueues outbound messages on their numbers' send queues; answers how many were new. */
export async function enqueueSends(queue: JobQueue, messages: { id: string; phoneNumberId: string }[]): Promise<number> {
  let added = 0
  for (const [name, items] of groupBy(messages, (m) => sendQueueFor(m.phoneNumberId))) added += await queue.enqueue(name, items.map((m) => sendJob(m.id)))
  return added
}

/** Hands outbound messages to their numbers' send queues. */
export async function handOffSends(messages: { id: string; phoneNumberId: string }[]) {
  try {
    await enqueueSends(sendEngine().queue, messages)
  } catch (err) {
    log.error({ err, count: messages.length }, 'hand-off to the send queue failed; the sweep will retry')
  }
}
