// Posts status webhooks as they fall due. Meta posts a quiet number's statuses one by one but packs a
// busy number's together: one POST, one entry for the WABA, several changes, several statuses in each.
// With `statusBatching` on (or auto, while the number's statuses fall due faster than the threshold),
// a due status waits in its number's outbox until `statusBatchWindowMs` after the first one, or until
// the outbox holds `statusBatchMax`, and they all go out as one body (retried whole, as Meta does).
import { schedule, type EmulatorState, type QueuedStatus, type RegisteredNumber } from './emulator-state'
import { deliverWebhook, webhookBytes } from './webhook-delivery'
import { messagesEnvelope, messagesValue } from './webhook-payloads'

// How many statuses one change carries before the next change of the same entry starts.
const STATUSES_PER_CHANGE = 10
const RATE_WINDOW_MS = 1000

export function statusDue(state: EmulatorState, number: RegisteredNumber, queued: QueuedStatus) {
  if (state.stopped) return
  if (batching(state, number.phoneNumberId, Date.now())) enqueue(state, number, queued)
  else post(state, number, [queued])
}

/** Statuses waiting in outboxes: work the emulator still has to do, like its timers. */
export const queuedStatuses = (state: EmulatorState) => [...state.statusOutboxes.values()].reduce((n, o) => n + o.statuses.length, 0)

function batching(state: EmulatorState, phoneNumberId: string, now: number): boolean {
  const { statusBatching, statusBatchThreshold } = state.config
  if (statusBatching !== 'auto') return statusBatching === 'on'
  const times = state.statusDueTimes.get(phoneNumberId) ?? []
  let drop = 0
  while (drop < times.length && times[drop]! <= now - RATE_WINDOW_MS) drop++
  if (drop) times.splice(0, drop)
  times.push(now)
  state.statusDueTimes.set(phoneNumberId, times)
  return times.length > statusBatchThreshold
}

function enqueue(state: EmulatorState, number: RegisteredNumber, queued: QueuedStatus) {
  const id = number.phoneNumberId
  let outbox = state.statusOutboxes.get(id)
  if (!outbox) {
    outbox = { number, statuses: [], cancelFlush: schedule(state, state.config.statusBatchWindowMs, () => flush(state, id)) }
    state.statusOutboxes.set(id, outbox)
  }
  outbox.statuses.push(queued)
  if (outbox.statuses.length >= state.config.statusBatchMax) {
    outbox.cancelFlush()
    flush(state, id)
  }
}

function flush(state: EmulatorState, phoneNumberId: string) {
  const outbox = state.statusOutboxes.get(phoneNumberId)
  if (!outbox) return
  state.statusOutboxes.delete(phoneNumberId)
  post(state, outbox.number, outbox.statuses)
}

function post(state: EmulatorState, number: RegisteredNumber, batch: QueuedStatus[]) {
  const bytes = webhookBytes(statusesEnvelope(number, batch.map((q) => q.status)))
  void deliverWebhook(state, bytes, number.phoneNumberId, batch.length)
  // At-least-once delivery: a duplicated status comes again a little later, so never in the same POST.
  for (const { status, redeliverAfterMs } of batch)
    if (redeliverAfterMs !== undefined) schedule(state, redeliverAfterMs, () => statusDue(state, number, { status }))
}

// One status gives exactly the body `messagesEnvelope` builds; more are spread over further changes of the entry.
function statusesEnvelope(number: RegisteredNumber, statuses: unknown[]) {
  const [first, ...more] = chunks(statuses, STATUSES_PER_CHANGE)
  const envelope = messagesEnvelope(number, { statuses: first })
  envelope.entry[0]!.changes.push(...more.map((group) => ({ value: messagesValue(number, { statuses: group }), field: 'messages' })))
  return envelope
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
}
