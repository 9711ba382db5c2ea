// Drives due messages through delivery: retries with backoff, the DLQ once retries run out (or the
// destination says 489 non-retryable), and the callback / failure-callback messages QStash sends.
import { attemptDelivery, isNonRetryable, isSuccess, type AttemptResult } from './deliver'
import type { DlqEntry, MessageStore, StoredMessage } from './message-store'

export interface DispatcherOptions {
  store: MessageStore
  now: () => number
  signingKey: string
  // Delay before retry number `retry` (1 for the first retry), in ms.
  retryBackoffMs: (retry: number) => number
  timeoutMs: number
  log: (line: string) => void
}

// QStash's default: min(1 day, e^(2.5 n)) seconds.
export const defaultRetryBackoffMs = (retry: number) => Math.min(86_400, Math.exp(2.5 * retry)) * 1000

const CALLBACK_RETRIES = 3

export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  tick() {
    const { store, now } = this.options
    for (const message of store.takeDue(now())) {
      void this.attempt(message)
        .catch((error: unknown) => this.options.log(`qstash: delivery of ${message.messageId} failed: ${String(error)}`))
        .finally(() => store.settle(message.messageId))
    }
  }

  private async attempt(message: StoredMessage) {
    const { store, now, signingKey, timeoutMs } = this.options
    const result = await attemptDelivery(message, { signingKey, nowMs: now(), timeoutMs })
    // Cancelled while the request was on the wire: nothing more happens to it.
    if (!store.pending.has(message.messageId)) return
    if (message.callback) this.sendCallback(message.callback, message, result)

    if (isSuccess(result.status)) {
      store.pending.delete(message.messageId)
    } else if (isNonRetryable(result) || message.retried >= message.maxRetries) {
      const entry = store.moveToDlq(message, {
        responseStatus: result.status || undefined,
        responseHeader: result.header,
        responseBody: result.body,
      })
      this.options.log(`qstash: ${message.messageId} to ${message.url} moved to the DLQ after status ${result.status}`)
      if (message.failureCallback) this.sendCallback(message.failureCallback, message, result, entry)
    } else {
      message.retried += 1
      message.dueAt = now() + this.options.retryBackoffMs(message.retried)
    }
  }

  // Callbacks are ordinary signed messages of their own, POSTed as JSON.
  private sendCallback(url: string, source: StoredMessage, result: AttemptResult, dlq?: DlqEntry) {
    if (source.isCallback) return
    const payload = {
      status: result.status,
      header: result.header,
      body: result.body.toString('base64'),
      retried: source.retried,
      maxRetries: source.maxRetries,
      ...(dlq ? { dlqId: dlq.dlqId } : {}),
      sourceMessageId: source.messageId,
      url: source.url,
      method: source.method,
      sourceHeader: source.header,
      sourceBody: source.body.toString('base64'),
      notBefore: source.notBefore ?? source.createdAt,
      createdAt: source.createdAt,
      scheduleId: source.scheduleId ?? '',
      callerIP: source.callerIp,
    }
    this.options.store.add(
      {
        url,
        method: 'POST',
        header: { 'Content-Type': ['application/json'] },
        body: Buffer.from(JSON.stringify(payload)),
        maxRetries: CALLBACK_RETRIES,
        callerIp: source.callerIp,
        isCallback: true,
      },
      { now: this.options.now() },
    )
  }
}
