// In-memory state of the stand-in: messages waiting for (another) delivery attempt, the DLQ, and the
// deduplication index. Nothing survives a restart, as with QStash's own dev server.
import { randomBytes } from 'node:crypto'

// Everything a publish (or a schedule tick) fixes about a message before it gets an id.
export interface MessageSpec {
  url: string
  method: string
  // Delivered headers, canonical casing: the `Upstash-Forward-*` ones without the prefix, and Content-Type.
  header: Record<string, string[]>
  body: Buffer
  maxRetries: number
  retryDelayExpression?: string
  callback?: string
  failureCallback?: string
  timeoutMs?: number
  scheduleId?: string
  callerIp: string
  // Messages carrying callback payloads are not themselves called back.
  isCallback?: boolean
}

export interface StoredMessage extends MessageSpec {
  messageId: string
  createdAt: number
  // As published (ms); undefined when the message was due at once.
  notBefore?: number
  // When the next attempt is due (ms).
  dueAt: number
  retried: number
}

export interface DlqEntry {
  dlqId: string
  message: StoredMessage
  responseStatus?: number
  responseHeader?: Record<string, string[]>
  responseBody?: Buffer
}

const DEDUPLICATION_WINDOW_MS = 10 * 60_000

export const newId = (prefix: string) => `${prefix}_${randomBytes(14).toString('base64url')}`

export class MessageStore {
  readonly pending = new Map<string, StoredMessage>()
  readonly dlq = new Map<string, DlqEntry>()
  private readonly inFlight = new Set<string>()
  private readonly deduplication = new Map<string, { messageId: string; expiresAt: number }>()
  private dlqSequence = 0

  add(spec: MessageSpec, { now, notBefore }: { now: number; notBefore?: number }): StoredMessage {
    const message: StoredMessage = { ...spec, messageId: newId('msg'), createdAt: now, notBefore, dueAt: notBefore ?? now, retried: 0 }
    this.pending.set(message.messageId, message)
    return message
  }

  // The message id already published under this key within the window, if any.
  deduplicated(key: string, now: number): string | undefined {
    const entry = this.deduplication.get(key)
    if (entry && entry.expiresAt > now) return entry.messageId
    this.deduplication.delete(key)
    return undefined
  }

  remember(key: string, messageId: string, now: number) {
    this.deduplication.set(key, { messageId, expiresAt: now + DEDUPLICATION_WINDOW_MS })
  }

  // Due messages not already being attempted, oldest due first; they are marked in flight.
  takeDue(now: number): StoredMessage[] {
    const due = [...this.pending.values()].filter((m) => m.dueAt <= now && !this.inFlight.has(m.messageId))
    due.sort((a, b) => a.dueAt - b.dueAt)
    for (const message of due) this.inFlight.add(message.messageId)
    return due
  }

  settle(messageId: string) {
    this.inFlight.delete(messageId)
  }

  cancel(messageId: string): boolean {
    return this.pending.delete(messageId)
  }

  moveToDlq(message: StoredMessage, response: Omit<DlqEntry, 'dlqId' | 'message'>): DlqEntry {
    this.pending.delete(message.messageId)
    const entry: DlqEntry = { dlqId: `${message.createdAt}-${this.dlqSequence++}`, message, ...response }
    this.dlq.set(entry.dlqId, entry)
    return entry
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

// QStash returns a body as `body` when it is valid UTF-8 and as `bodyBase64` otherwise.
export function bodyFields(body: Buffer | undefined, names: { text: string; base64: string }): Record<string, string> {
  if (!body || body.length === 0) return {}
  try {
    return { [names.text]: strictUtf8.decode(body) }
  } catch {
    return { [names.base64]: body.toString('base64') }
  }
}

export function messageJson(message: StoredMessage) {
  return withoutUndefined({
    messageId: message.messageId,
    url: message.url,
    method: message.method,
    header: message.header,
    ...bodyFields(message.body, { text: 'body', base64: 'bodyBase64' }),
    maxRetries: message.maxRetries,
    retryDelayExpression: message.retryDelayExpression,
    notBefore: message.notBefore,
    createdAt: message.createdAt,
    callback: message.callback,
    failureCallback: message.failureCallback,
    scheduleId: message.scheduleId,
    callerIp: message.callerIp,
  })
}

export function dlqJson(entry: DlqEntry) {
  return withoutUndefined({
    ...messageJson(entry.message),
    dlqId: entry.dlqId,
    responseStatus: entry.responseStatus,
    responseHeader: entry.responseHeader,
    ...bodyFields(entry.responseBody, { text: 'responseBody', base64: 'responseBodyBase64' }),
  })
}

export function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}
