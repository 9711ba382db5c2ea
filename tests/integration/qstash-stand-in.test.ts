// The QStash stand-in (dev/qstash) driven by the real `@upstash/qstash` Client, with deliveries
// checked by the real Receiver at a local destination server. No database is involved.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, QstashError, Receiver } from '@upstash/qstash'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQstashStandIn, type QstashStandIn } from '../../dev/qstash/server'

const TOKEN = 'qstash-test-token'
const CURRENT_KEY = 'sig_current_test_key'
const NEXT_KEY = 'sig_next_test_key'

interface Delivery {
  path: string
  method: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}

let destination: Server
let destinationUrl: string
const deliveries: Delivery[] = []
// Paths answered with this status instead of 200.
const failing = new Map<string, number>()

let live: QstashStandIn
let client: Client
// A second stand-in on a movable clock, for hour-long delays and minute crons.
let shifted: QstashStandIn
let shiftedClient: Client
let clockOffsetMs = 0

const receiver = new Receiver({ currentSigningKey: CURRENT_KEY, nextSigningKey: NEXT_KEY })

const to = (path: string) => `${destinationUrl}${path}`
const deliveriesTo = (path: string) => deliveries.filter((d) => d.path === path)

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const firstDeliveryTo = (path: string) => waitFor(() => deliveriesTo(path)[0], `a delivery to ${path}`)

const header = (delivery: Delivery, name: string) => {
  const value = delivery.headers[name]
  return Array.isArray(value) ? value[0] : value
}

beforeAll(async () => {
  destination = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const path = req.url ?? '/'
      deliveries.push({ path, method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() })
      res.writeHead(failing.get(path) ?? 200, { 'content-type': 'text/plain' }).end(`answer from ${path}`)
    })
  })
  await new Promise<void>((resolve) => destination.listen(0, '127.0.0.1', resolve))
  destinationUrl = `http://127.0.0.1:${(destination.address() as AddressInfo).port}`

  const common = { token: TOKEN, currentSigningKey: CURRENT_KEY, nextSigningKey: NEXT_KEY, tickMs: 20, retryBackoffMs: () => 50 }
  live = await startQstashStandIn(common)
  shifted = await startQstashStandIn({ ...common, now: () => Date.now() + clockOffsetMs })
  client = new Client({ baseUrl: live.url, token: TOKEN, retry: false })
  shiftedClient = new Client({ baseUrl: shifted.url, token: TOKEN, retry: false })
})

afterAll(async () => {
  await live?.stop()
  await shifted?.stop()
  await new Promise((resolve) => destination?.close(resolve))
})

describe('QStash stand-in', () => {
  it('delivers publishJSON with forwarded headers and a signature the Receiver accepts', async () => {
    const published = await client.publishJSON({ url: to('/json'), body: { hello: 'world' }, headers: { 'X-Tenant': 't-1' } })
    expect(published.messageId).toMatch(/^msg_/)

    const delivery = await firstDeliveryTo('/json')
    expect(delivery.method).toBe('POST')
    expect(delivery.body).toBe('{"hello":"world"}')
    expect(header(delivery, 'content-type')).toBe('application/json')
    expect(header(delivery, 'x-tenant')).toBe('t-1')
    expect(header(delivery, 'upstash-message-id')).toBe(published.messageId)
    expect(header(delivery, 'upstash-retried')).toBe('0')

    const signature = header(delivery, 'upstash-signature') ?? ''
    await expect(receiver.verify({ signature, body: delivery.body, url: to('/json') })).resolves.toBe(true)
    await expect(receiver.verify({ signature, body: '{"hello":"tampered"}' })).rejects.toThrow(/body hash/)
    await expect(receiver.verify({ signature, body: delivery.body, url: to('/other') })).rejects.toThrow(/subject/)
    const stranger = new Receiver({ currentSigningKey: 'sig_wrong_1', nextSigningKey: 'sig_wrong_2' })
    await expect(stranger.verify({ signature, body: delivery.body })).rejects.toThrow()
    // After a key rotation the old current key is the receiver's next key; it must still verify.
    const rotated = new Receiver({ currentSigningKey: 'sig_brand_new', nextSigningKey: CURRENT_KEY })
    await expect(rotated.verify({ signature, body: delivery.body })).resolves.toBe(true)
  })

  it('holds back delayed and not-before messages until their time', async () => {
    const publishedAt = Date.now()
    const notBefore = Math.ceil(publishedAt / 1000) + 1
    const delayed = await client.publishJSON({ url: to('/delayed'), body: { n: 1 }, delay: 1 })
    await client.publishJSON({ url: to('/not-before'), body: { n: 2 }, notBefore })

    const pending = await client.messages.get(delayed.messageId)
    expect(pending.url).toBe(to('/delayed'))
    expect(pending.notBefore).toBeGreaterThanOrEqual(publishedAt + 1000)

    expect((await firstDeliveryTo('/delayed')).at).toBeGreaterThanOrEqual(publishedAt + 1000)
    expect((await firstDeliveryTo('/not-before')).at).toBeGreaterThanOrEqual(notBefore * 1000)
  })

  it('retries a failing destination, then dead-letters it and calls the failure callback', async () => {
    failing.set('/broken', 500)
    const { messageId } = await client.publishJSON({ url: to('/broken'), body: { n: 3 }, retries: 2, failureCallback: to('/failed') })

    const failure = await firstDeliveryTo('/failed')
    expect(deliveriesTo('/broken').map((d) => header(d, 'upstash-retried'))).toEqual(['0', '1', '2'])
    await expect(receiver.verify({ signature: header(failure, 'upstash-signature') ?? '', body: failure.body, url: to('/failed') })).resolves.toBe(true)
    const payload = JSON.parse(failure.body) as Record<string, unknown>
    expect(payload).toMatchObject({ status: 500, sourceMessageId: messageId, url: to('/broken'), retried: 2, maxRetries: 2 })
    expect(Buffer.from(String(payload.body), 'base64').toString()).toBe('answer from /broken')
    expect(Buffer.from(String(payload.sourceBody), 'base64').toString()).toBe('{"n":3}')

    const { messages } = await client.dlq.listMessages()
    const dead = messages.find((m) => m.messageId === messageId)
    expect(dead).toMatchObject({ url: to('/broken'), responseStatus: 500, responseBody: 'answer from /broken', body: '{"n":3}', dlqId: payload.dlqId })
    await client.messages.get(messageId).then(
      () => expect.unreachable('a dead-lettered message is no longer pending'),
      (error: unknown) => expect((error as QstashError).status).toBe(404),
    )

    await client.dlq.delete(dead?.dlqId ?? '')
    expect((await client.dlq.listMessages()).messages.some((m) => m.messageId === messageId)).toBe(false)
  })

  it('retries a dead-lettered message from the DLQ', async () => {
    failing.set('/recovering', 503)
    await client.publish({ url: to('/recovering'), body: 'payload', retries: 0 })
    const entry = await pollDlq('/recovering')
    failing.delete('/recovering')
    const { responses } = await client.dlq.retry(entry.dlqId)
    expect(responses).toHaveLength(1)
    await waitFor(() => deliveriesTo('/recovering').find((d) => header(d, 'upstash-message-id') === responses[0]?.messageId), 'the retried delivery')
    expect((await client.dlq.listMessages({ dlqIds: [entry.dlqId] })).messages).toEqual([])
  })

  it('calls the callback after delivery with the response, signed', async () => {
    const { messageId } = await client.publish({ url: to('/with-callback'), body: 'ping', callback: to('/callback') })
    const callback = await firstDeliveryTo('/callback')
    await expect(receiver.verify({ signature: header(callback, 'upstash-signature') ?? '', body: callback.body, url: to('/callback') })).resolves.toBe(true)
    const payload = JSON.parse(callback.body) as Record<string, unknown>
    expect(payload).toMatchObject({ status: 200, sourceMessageId: messageId, url: to('/with-callback'), retried: 0 })
    expect(Buffer.from(String(payload.body), 'base64').toString()).toBe('answer from /with-callback')
  })

  it('delivers a deduplicated message once', async () => {
    const first = await client.publishJSON({ url: to('/dedup'), body: { n: 4 }, deduplicationId: 'order-42' })
    const second = await client.publishJSON({ url: to('/dedup'), body: { n: 4 }, deduplicationId: 'order-42' })
    expect(second).toMatchObject({ messageId: first.messageId, deduplicated: true })
    expect(first.deduplicated).toBeUndefined()

    await firstDeliveryTo('/dedup')
    // A later message through the same pipeline; once it arrives, a duplicate would have too.
    await client.publishJSON({ url: to('/dedup-sentinel'), body: {} })
    await firstDeliveryTo('/dedup-sentinel')
    expect(deliveriesTo('/dedup')).toHaveLength(1)
  })

  it('rejects a wrong token with 401', async () => {
    const intruder = new Client({ baseUrl: live.url, token: 'not-the-token', retry: false })
    const error = await intruder.publishJSON({ url: to('/never'), body: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QstashError)
    expect((error as QstashError).status).toBe(401)
    expect(JSON.parse((error as QstashError).message)).toEqual({ error: 'Unauthorized' })
  })

  it('cancels a delayed message', async () => {
    const { messageId } = await shiftedClient.publishJSON({ url: to('/cancelled'), body: {}, delay: '1h' })
    expect((await shiftedClient.messages.get(messageId)).messageId).toBe(messageId)
    await shiftedClient.messages.delete(messageId)
    await expect(shiftedClient.messages.get(messageId)).rejects.toMatchObject({ status: 404 })

    clockOffsetMs += 2 * 3_600_000
    await shiftedClient.publishJSON({ url: to('/cancel-sentinel'), body: {} })
    await firstDeliveryTo('/cancel-sentinel')
    expect(deliveriesTo('/cancelled')).toEqual([])
  })

  it('runs a cron schedule and lists, gets and deletes it', async () => {
    const { scheduleId } = await shiftedClient.schedules.create({ destination: to('/cron'), cron: '* * * * *', body: 'tick' })
    const schedule = await shiftedClient.schedules.get(scheduleId)
    expect(schedule).toMatchObject({ scheduleId, cron: '* * * * *', destination: to('/cron'), body: 'tick', isPaused: false })
    expect((await shiftedClient.schedules.list()).map((s) => s.scheduleId)).toContain(scheduleId)

    clockOffsetMs += 61_000
    const tick = await firstDeliveryTo('/cron')
    expect(tick.body).toBe('tick')
    expect(header(tick, 'upstash-schedule-id')).toBe(scheduleId)
    expect((await shiftedClient.schedules.get(scheduleId)).lastScheduleTime).toBeGreaterThan(schedule.createdAt)

    await shiftedClient.schedules.delete(scheduleId)
    await expect(shiftedClient.schedules.get(scheduleId)).rejects.toMatchObject({ status: 404 })
    expect(await shiftedClient.schedules.list()).toEqual([])
  })
})

function pollDlq(path: string) {
  return waitFor(() => deliveriesTo(path).length > 0 || undefined, `a delivery to ${path}`).then(async () => {
    const deadline = Date.now() + 8_000
    for (;;) {
      const { messages } = await client.dlq.listMessages({ filter: { url: to(path) } })
      if (messages[0]) return messages[0]
      if (Date.now() > deadline) throw new Error(`no DLQ entry for ${path}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  })
}
