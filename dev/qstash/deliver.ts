// One delivery attempt: the message's method, body and headers sent to its destination, signed.
import { canonicalHeaderName } from './publish-request'
import { signDelivery } from './sign'
import type { StoredMessage } from './message-store'

export interface AttemptResult {
  // 0 when no HTTP response came back (connection refused, timeout).
  status: number
  header: Record<string, string[]>
  body: Buffer
}

export const isSuccess = (status: number) => status >= 200 && status < 300

// QStash's contract for "do not retry": 489 plus this header.
export const isNonRetryable = (result: AttemptResult) =>
  result.status === 489 && result.header['Upstash-Nonretryable-Error']?.[0]?.toLowerCase() === 'true'

export async function attemptDelivery(
  message: StoredMessage,
  { signingKey, nowMs, timeoutMs }: { signingKey: string; nowMs: number; timeoutMs: number },
): Promise<AttemptResult> {
  const headers = new Headers()
  for (const [name, values] of Object.entries(message.header)) for (const value of values) headers.append(name, value)
  headers.set('User-Agent', 'Upstash-QStash')
  headers.set('Upstash-Message-Id', message.messageId)
  headers.set('Upstash-Retried', String(message.retried))
  headers.set('Upstash-Caller-Ip', message.callerIp)
  if (message.scheduleId) headers.set('Upstash-Schedule-Id', message.scheduleId)
  headers.set('Upstash-Signature', signDelivery({ key: signingKey, url: message.url, body: message.body, nowMs }))

  const withBody = message.method !== 'GET' && message.method !== 'HEAD'
  try {
    const response = await fetch(message.url, {
      method: message.method,
      headers,
      body: withBody ? new Uint8Array(message.body) : undefined,
      signal: AbortSignal.timeout(message.timeoutMs ?? timeoutMs),
      redirect: 'manual',
    })
    const header: Record<string, string[]> = {}
    response.headers.forEach((value, name) => {
      header[canonicalHeaderName(name)] = [value]
    })
    return { status: response.status, header, body: Buffer.from(await response.arrayBuffer()) }
  } catch (error) {
    return { status: 0, header: {}, body: Buffer.from(error instanceof Error ? error.message : String(error)) }
  }
}
