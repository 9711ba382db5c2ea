// Posts one webhook body to the app the way Meta does: exact bytes, `X-Hub-Signature-256` over them,
// and on a non-2xx answer or a refused connection a few more tries with growing delays. Never throws.
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'
import { schedule, statsFor, type EmulatorState, type WebhookCounters } from './emulator-state'

export interface DeliveryResult {
  delivered: boolean
  status: number | null
}

export const webhookBytes = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8')

interface Delivery {
  bytes: Buffer
  counters: WebhookCounters[]
  // The statuses the body carries, counted as posted once the app accepts it.
  statuses: number
}

// Returns the first attempt's outcome; retries continue in the background.
export function deliverWebhook(state: EmulatorState, bytes: Buffer, phoneNumberId?: string, statuses = 0): Promise<DeliveryResult> {
  const counters = phoneNumberId ? [state.totals, statsFor(state, phoneNumberId).webhooks] : [state.totals]
  return attempt(state, { bytes, counters, statuses }, 0)
}

async function attempt(state: EmulatorState, delivery: Delivery, tried: number): Promise<DeliveryResult> {
  const { bytes, counters } = delivery
  const url = state.config.webhookUrl
  if (!url || state.stopped) return { delivered: false, status: null }
  const result = await postOnce(state, url, bytes)
  if (result.delivered) {
    for (const c of counters) {
      c.posted++
      c.statusesPosted += delivery.statuses
    }
    return result
  }
  const delay = state.config.webhookRetryDelaysMs[tried]
  if (delay === undefined || state.stopped) {
    counters.forEach((c) => c.failed++)
    state.log(`meta-emulator: webhook to ${url} failed after ${tried + 1} attempts (last status ${result.status ?? 'no answer'})`)
    return result
  }
  counters.forEach((c) => c.retried++)
  // The very same bytes again, as Meta retries a whole payload.
  schedule(state, delay, () => attempt(state, delivery, tried + 1).then(() => undefined))
  return result
}

async function postOnce(state: EmulatorState, url: string, bytes: Buffer): Promise<DeliveryResult> {
  while (state.inFlight.size >= state.config.webhookConcurrency && !state.stopped) await new Promise<void>((wake) => state.webhookWaiters.push(wake))
  if (state.stopped) return { delivered: false, status: null }
  const controller = new AbortController()
  state.inFlight.add(controller)
  const timer = setTimeout(() => controller.abort(), state.config.webhookTimeoutMs)
  try {
    // undici's request rather than fetch: a fraction of the CPU per POST, and the emulator shares the
    // machine with the stack it measures.
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature-256': signWebhookBody(bytes, state.config.appSecret),
        // Meta still sends the legacy SHA-1 header beside the SHA-256 one.
        'x-hub-signature': `sha1=${createHmac('sha1', state.config.appSecret).update(bytes).digest('hex')}`,
      },
      body: bytes,
      signal: controller.signal,
    })
    // Drain the body so the connection is released; its content does not matter to Meta.
    await res.body.dump().catch(() => undefined)
    return { delivered: res.statusCode >= 200 && res.statusCode < 300, status: res.statusCode }
  } catch {
    return { delivered: false, status: null }
  } finally {
    clearTimeout(timer)
    state.inFlight.delete(controller)
    state.webhookWaiters.shift()?.()
  }
}
