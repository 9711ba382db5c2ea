// The Meta emulator (dev/meta-emulator) against a local webhook receiver: Graph's answers and error bodies,
// signed status webhooks (one by one or batched), throughput and pair-rate limits, media, templates and the control API.
// It needs no database: the emulator runs on an ephemeral port inside the test.
import { createHash, createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { metaEmulatorOptionsFromEnv } from '../../dev/meta-emulator/env-options'
import { startMetaEmulator, type MetaEmulator } from '../../dev/meta-emulator/server'

const APP_SECRET = 'emulator-test-app-secret'
const WABA = '104857293847561'
const NUMBER = {
  phoneNumberId: '106540352242922',
  wabaId: WABA,
  accessToken: 'token-main',
  displayPhoneNumber: '+1 555-010-0001',
  verifiedName: 'Demo Coffee Co.',
}
// A second number of the same WABA with a low cap, so the throughput test stays small.
const SLOW = { ...NUMBER, phoneNumberId: '108374652019283', accessToken: 'token-slow', displayPhoneNumber: '+1 555-010-0002', mps: 10 }
const OTHER = {
  phoneNumberId: '109000000000001',
  wabaId: '205000000000001',
  accessToken: 'token-other',
  displayPhoneNumber: '+44 7700 900000',
  verifiedName: 'Other Co.',
}

interface Received {
  raw: string
  signature: string | undefined
  body: WebhookJson
}
interface StatusJson {
  id: string
  status: string
  timestamp: string
  recipient_id: string
  biz_opaque_callback_data?: string
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } }
  pricing?: { billable: boolean; pricing_model: string; category: string; type: string }
  errors?: { code: number; title: string; message: string; error_data: { details: string }; href: string }[]
}
type MessageJson = Record<string, unknown> & { from: string; id: string; timestamp: string; type: string }
interface ChangeValue {
  messaging_product?: string
  metadata?: { display_phone_number: string; phone_number_id: string }
  contacts?: { profile: { name: string }; wa_id: string }[]
  messages?: MessageJson[]
  statuses?: StatusJson[]
  event?: string
  message_template_id?: number
  message_template_name?: string
}
interface WebhookJson {
  object: string
  entry: { id: string; time?: number; changes: { field: string; value: ChangeValue }[] }[]
}
interface GraphError {
  error: {
    message: string
    type: string
    code: number
    error_subcode?: number
    error_data?: { messaging_product: string; details: string }
    fbtrace_id: string
  }
}
interface SendOk {
  messaging_product: string
  contacts: { input: string; wa_id: string }[]
  messages: { id: string; message_status?: string }[]
}

let emulator: MetaEmulator
let receiver: Server
let received: Received[] = []
// How many of the next webhook POSTs the receiver answers with 500.
let refuseNext = 0
let customerSeq = 0
const nextCustomer = () => `55119${String(10_000_000 + customerSeq++).slice(-8)}`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      received.push({ raw, signature: req.headers['x-hub-signature-256'] as string | undefined, body: JSON.parse(raw) as WebhookJson })
      if (refuseNext > 0) {
        refuseNext--
        res.writeHead(500).end()
      } else res.writeHead(200).end('EVENT_RECEIVED')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  emulator = await startMetaEmulator({
    port: 0,
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/whatsapp/webhook`,
    appSecret: APP_SECRET,
    numbers: [NUMBER, SLOW, OTHER],
    statusDelays: { sent: 20, delivered: 60, read: 120 },
    jitterMs: 5,
    templateApprovalMs: 100,
    webhookRetryDelaysMs: [50, 100, 150],
    seed: 7,
  })
})

afterAll(async () => {
  await emulator.stop()
  await new Promise((resolve) => receiver.close(resolve))
})

beforeEach(async () => {
  await control('POST', 'reset')
  received = []
  refuseNext = 0
})

async function graph<T = unknown>(method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
  const token = options.token === undefined ? NUMBER.accessToken : options.token
  const res = await fetch(`${emulator.url}/v23.0/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  return { status: res.status, json: (await res.json()) as T }
}

async function control<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}/control/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as T
}

const send = (body: unknown, phoneNumberId = NUMBER.phoneNumberId, token = NUMBER.accessToken) =>
  graph<SendOk & GraphError>('POST', `${phoneNumberId}/messages`, { token, body })
const text = (to: string, body = 'Your order is on its way') => ({ messaging_product: 'whatsapp', to, type: 'text', text: { body } })
const template = (to: string, name = 'hello_world', components?: unknown[]) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  template: { name, language: { code: 'en_US' }, ...(components ? { components } : {}) },
})
const openWindow = (waId: string, phoneNumberId = NUMBER.phoneNumberId) => control('POST', 'set-window', { phoneNumberId, waId, hoursAgo: 1 })

const signedCorrectly = (r: Received) => r.signature === `sha256=${createHmac('sha256', APP_SECRET).update(r.raw).digest('hex')}`
const valuesOf = (r: Received) => r.body.entry.flatMap((e) => e.changes.map((c) => c.value))
const statusesOf = (wamid: string) => received.flatMap((r) => valuesOf(r).flatMap((v) => v.statuses ?? [])).filter((s) => s.id === wamid)

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(10)
  }
}

// Waits until the emulator has nothing scheduled or in flight (all status webhooks and retries done).
const quiet = () => waitFor(async () => (await control<{ pending: number }>('GET', 'stats')).pending === 0)

describe('sending messages', () => {
  it('a text send returns a wamid and produces signed sent, delivered and read webhooks in Meta shape', async () => {
    const customer = nextCustomer()
    const inbound = await control<{ delivered: boolean; status: number }>('POST', 'inbound', {
      phoneNumberId: NUMBER.phoneNumberId,
      from: `+${customer}`,
      profileName: 'Mariana Souza',
      type: 'text',
      text: { body: 'Olá! Vocês entregam no sábado?' },
    })
    expect(inbound).toMatchObject({ delivered: true, status: 200 })

    const { status, json } = await send({ ...text(`+${customer}`), biz_opaque_callback_data: 'job:42' })
    expect(status).toBe(200)
    expect(json.messaging_product).toBe('whatsapp')
    expect(json.contacts).toEqual([{ input: `+${customer}`, wa_id: customer }])
    const wamid = json.messages[0]!.id
    expect(wamid).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/)
    expect(json.messages[0]!.message_status).toBeUndefined()

    const statuses = await waitFor(() => statusesOf(wamid).length === 3 && statusesOf(wamid))
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read'])
    const posts = received.filter((r) => r.raw.includes(wamid))
    for (const post of posts) {
      expect(signedCorrectly(post)).toBe(true)
      expect(post.body.object).toBe('whatsapp_business_account')
      expect(post.body.entry[0]!.id).toBe(WABA)
      expect(post.body.entry[0]!.changes[0]!.field).toBe('messages')
      expect(post.body.entry[0]!.changes[0]!.value.metadata).toEqual({ display_phone_number: '15550100001', phone_number_id: NUMBER.phoneNumberId })
    }
    const [sent, delivered, read] = statuses
    expect(Object.keys(sent!)).toEqual(['id', 'status', 'timestamp', 'recipient_id', 'biz_opaque_callback_data', 'conversation', 'pricing'])
    expect(sent).toMatchObject({ recipient_id: customer, biz_opaque_callback_data: 'job:42', timestamp: expect.stringMatching(/^\d{10}$/) })
    expect(sent!.conversation).toMatchObject({ origin: { type: 'service' }, expiration_timestamp: expect.stringMatching(/^\d{10}$/) })
    expect(sent!.pricing).toEqual({ billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' })
    expect(delivered!.pricing).toBeDefined()
    expect(delivered!.conversation?.expiration_timestamp).toBeUndefined()
    expect(read!.pricing).toBeUndefined()
    expect(Number(read!.timestamp)).toBeGreaterThanOrEqual(Number(sent!.timestamp))

    const sentLog = await control<{ data: { wamid: string; body: unknown }[] }>('GET', `sent?phoneNumberId=${NUMBER.phoneNumberId}&to=${customer}`)
    expect(sentLog.data.map((s) => s.wamid)).toEqual([wamid])
  })

  it('a wrong or missing token is Graph error 190 with HTTP 401', async () => {
    for (const token of ['not-a-token', null, OTHER.accessToken]) {
      const { status, json } = await send(text(nextCustomer()), NUMBER.phoneNumberId, token as string)
      expect(status).toBe(401)
      expect(json.error).toMatchObject({ code: 190, type: 'OAuthException', fbtrace_id: expect.any(String) })
    }
  })

  it('an unknown phone number id is error 100 with subcode 33', async () => {
    const { status, json } = await send(text(nextCustomer()), '199999999999999')
    expect(status).toBe(400)
    expect(json.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' })
    expect(json.error.message).toContain("Unsupported post request. Object with ID '199999999999999' does not exist")
  })

  it('an invalid body is answered with Meta error 100, 131008 or 131009 naming the field', async () => {
    const to = nextCustomer()
    const cases: [unknown, number, string][] = [
      [text(to, 'x'.repeat(4097)), 100, "Param text['body'] must be at most 4096 characters"],
      [{ ...text(to), text: { body: 5 } }, 100, "Param text['body'] must be a string"],
      [{ ...text(to), text: { body: 'hi', bold: true } }, 100, 'Unexpected key "bold" on param "text"'],
      [{ messaging_product: 'whatsapp', to, type: 'text', text: {} }, 131008, "The parameter text['body'] is required"],
      [{ messaging_product: 'whatsapp', to, type: 'carousel' }, 100, 'Param type must be one of {text, image'],
      [
        { messaging_product: 'whatsapp', to, type: 'interactive', interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [] } } },
        131009,
        "Param interactive['action']['buttons'] must have at least 1 button",
      ],
      [{ to, type: 'text', text: { body: 'hi' } }, 100, ''],
    ]
    for (const [body, code, details] of cases) {
      const { status, json } = await send(body)
      expect(status, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(json.error.code).toBe(code)
      expect(json.error.type).toBe('OAuthException')
      if (details) {
        expect(json.error.message).toBe(`(#${code}) ${code === 100 ? 'Invalid parameter' : code === 131008 ? 'Required parameter is missing' : 'Parameter value is not valid'}`)
        expect(json.error.error_data).toEqual({ messaging_product: 'whatsapp', details: expect.stringContaining(details) })
      } else expect(json.error.message).toBe('(#100) The parameter messaging_product is required')
    }
    const stats = await control<{ numbers: Record<string, { rejected: Record<string, number>; accepted: number }> }>('GET', 'stats')
    expect(stats.numbers[NUMBER.phoneNumberId]).toMatchObject({ accepted: 0, rejected: { 100: 5, 131008: 1, 131009: 1 } })
  })

  it('a free-form message outside the 24 h window is accepted, then fails with 131047 by webhook', async () => {
    const lapsed = nextCustomer()
    await control('POST', 'set-window', { phoneNumberId: NUMBER.phoneNumberId, waId: lapsed, hoursAgo: 25 })
    const never = nextCustomer()
    for (const customer of [lapsed, never]) {
      const { status, json } = await send(text(customer))
      expect(status).toBe(200)
      const wamid = json.messages[0]!.id
      const [failed] = await waitFor(() => statusesOf(wamid).length > 0 && statusesOf(wamid))
      expect(failed).toMatchObject({ status: 'failed', recipient_id: customer })
      expect(failed!.errors).toEqual([
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: { details: expect.stringContaining('more than 24 hours') },
          href: expect.stringContaining('developers.facebook.com'),
        },
      ])
      expect(failed!.pricing).toBeUndefined()
    }
    await quiet()
    expect(received.flatMap((r) => valuesOf(r).flatMap((v) => v.statuses ?? [])).map((s) => s.status)).toEqual(['failed', 'failed'])
    const stats = await control<{ numbers: Record<string, { failedAsync: Record<string, number> }> }>('GET', 'stats')
    expect(stats.numbers[NUMBER.phoneNumberId]!.failedAsync).toEqual({ 131047: 2 })
  })

  it('a template outside the window is delivered and billed; template mistakes fail synchronously', async () => {
    const customer = nextCustomer()
    const { status, json } = await send(template(customer))
    expect(status).toBe(200)
    expect(json.messages[0]!.message_status).toBe('accepted')
    const statuses = await waitFor(() => statusesOf(json.messages[0]!.id).length === 3 && statusesOf(json.messages[0]!.id))
    expect(statuses[0]!.pricing).toEqual({ billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' })

    const params = (...values: string[]) => values.map((v) => ({ type: 'text', text: v }))
    const cases: [unknown, number, number, string][] = [
      [template(nextCustomer(), 'no_such_template'), 404, 132001, 'template name (no_such_template) does not exist in en_US'],
      [template(nextCustomer(), 'order_update', [{ type: 'body', parameters: params('Ana') }]), 400, 132000, 'body: number of localizable_params (1)'],
      [template(nextCustomer(), 'order_update', [{ type: 'body', parameters: params('Ana', '#1042') }]), 400, 131008, 'Button at index 0 of type Url'],
      [template(nextCustomer(), 'promo_image'), 400, 132012, 'expected IMAGE'],
    ]
    for (const [body, http, code, details] of cases) {
      const res = await send(body)
      expect(res.status).toBe(http)
      expect(res.json.error).toMatchObject({ code, error_data: { details: expect.stringContaining(details) } })
    }
    const ok = await send(
      template(nextCustomer(), 'order_update', [
        { type: 'body', parameters: params('Ana', '#1042') },
        { type: 'button', sub_type: 'url', index: '0', parameters: params('1042') },
      ]),
    )
    expect(ok.status).toBe(200)
  })

  it('sending at twice the MPS gets 130429 for the excess and never more than MPS accepted in any second', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, () => send(template(nextCustomer()), SLOW.phoneNumberId, SLOW.accessToken)))
    expect(burst.filter((r) => r.status === 200)).toHaveLength(10)
    const throttled = burst.filter((r) => r.status !== 200)
    expect(throttled).toHaveLength(10)
    for (const r of throttled) {
      expect(r.status).toBe(400)
      expect(r.json.error).toMatchObject({ code: 130429, message: '(#130429) Rate limit hit', error_data: { messaging_product: 'whatsapp' } })
    }

    // Then a steady 20/s for 2.5 s.
    const pending: Promise<{ status: number }>[] = []
    for (let i = 0; i < 50; i++) {
      pending.push(send(template(nextCustomer()), SLOW.phoneNumberId, SLOW.accessToken))
      await sleep(50)
    }
    const steady = await Promise.all(pending)
    expect(steady.some((r) => r.status === 400)).toBe(true)
    expect(steady.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20)

    const log = await control<{ data: { acceptedAt: string }[] }>('GET', `sent?phoneNumberId=${SLOW.phoneNumberId}`)
    const times = log.data.map((s) => Date.parse(s.acceptedAt)).sort((a, b) => a - b)
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(SLOW.mps)
    const stats = await control<{ numbers: Record<string, { accepted: number; rejected: Record<string, number> }> }>('GET', 'stats')
    expect(stats.numbers[SLOW.phoneNumberId]!.accepted).toBe(times.length)
    expect(stats.numbers[SLOW.phoneNumberId]!.rejected['130429']).toBe(70 - times.length)
  })

  it('a burst to the same customer beyond the pair-rate allowance hits 131056', async () => {
    await control('POST', 'config', { pairRateBurst: 3 })
    const customer = nextCustomer()
    await openWindow(customer)
    for (const n of ['one', 'one-b', 'one-c']) expect((await send(text(customer, n))).status).toBe(200)
    const fourth = await send(text(customer, 'four'))
    expect(fourth.status).toBe(400)
    expect(fourth.json.error).toMatchObject({
      code: 131056,
      error_subcode: 2494055,
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
      error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('same phone number') },
    })
    // Another customer is not affected, and the same one may be messaged again after the window.
    const other = nextCustomer()
    await openWindow(other)
    expect((await send(text(other))).status).toBe(200)
    await control('POST', 'config', { pairRateWindowMs: 150 })
    await sleep(200)
    expect((await send(text(customer, 'three'))).status).toBe(200)
  })

  it('marks a message read and answers success', async () => {
    const { status, json } = await graph('POST', `${NUMBER.phoneNumberId}/messages`, {
      body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.abc', typing_indicator: { type: 'text' } },
    })
    expect(status).toBe(200)
    expect(json).toEqual({ success: true })
    const receipts = await control<{ data: unknown[] }>('GET', 'read-receipts')
    expect(receipts.data).toEqual([expect.objectContaining({ messageId: 'wamid.abc', typingIndicator: true })])
    const bad = await graph<GraphError>('POST', `${NUMBER.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', status: 'read' } })
    expect(bad.json.error).toMatchObject({ code: 131008, error_data: { details: 'The parameter message_id is required.' } })
  })

  it('an undeliverable customer gets 131026 by webhook', async () => {
    const customer = nextCustomer()
    await control('POST', 'undeliverable', { waId: customer })
    const { json } = await send(template(customer))
    const [failed] = await waitFor(() => statusesOf(json.messages[0]!.id).length > 0 && statusesOf(json.messages[0]!.id))
    expect(failed!.errors![0]).toMatchObject({ code: 131026, title: 'Message undeliverable' })
  })

  it('fail-number makes the number answer 500 or 503 for a while', async () => {
    const customer = nextCustomer()
    await control('POST', 'fail-number', { phoneNumberId: NUMBER.phoneNumberId, code: 131000, count: 2 })
    for (let i = 0; i < 2; i++) {
      const { status, json } = await send(template(customer))
      expect(status).toBe(500)
      expect(json.error).toMatchObject({ code: 131000, message: '(#131000) Something went wrong' })
    }
    expect((await send(template(customer))).status).toBe(200)

    await control('POST', 'fail-number', { phoneNumberId: NUMBER.phoneNumberId, code: 2, durationMs: 150 })
    const down = await send(template(nextCustomer()))
    expect(down.status).toBe(503)
    expect(down.json.error.code).toBe(2)
    await sleep(200)
    expect((await send(template(nextCustomer()))).status).toBe(200)
  })
})

describe('status webhook delivery', () => {
  // Sends 12 templates one after another and returns, per send, the statuses in the order they arrived.
  async function run() {
    const before = received.length
    const wamids: string[] = []
    for (let i = 0; i < 12; i++) wamids.push((await send(template(nextCustomer()))).json.messages[0]!.id)
    await quiet()
    const posts = received.slice(before)
    return wamids.map((wamid) => posts.filter((p) => p.raw.includes(wamid)))
  }

  it('loss, duplication and reordering follow the configured rates and repeat with the same seed', async () => {
    // One status per POST, so each POST's bytes and place in the order belong to a single status.
    const config = {
      statusBatching: 'off',
      lossRate: 0.25,
      duplicateRate: 0.25,
      reorderRate: 0.5,
      jitterMs: 0,
      statusDelays: { sent: 10, delivered: 150, read: 300 },
    }
    await control('POST', 'config', { ...config, seed: 42 })
    const first = await run()
    const stats = await control<{ numbers: Record<string, { webhooks: { posted: number; lost: number; duplicated: number } }> }>('GET', 'stats')
    const counters = stats.numbers[NUMBER.phoneNumberId]!.webhooks
    expect(counters.lost).toBeGreaterThan(0)
    expect(counters.duplicated).toBeGreaterThan(0)
    expect(first.flat()).toHaveLength(36 - counters.lost + counters.duplicated)

    const order = (posts: Received[]) => posts.map((p) => valuesOf(p)[0]!.statuses![0]!.status)
    const patterns = first.map(order)
    // Some statuses never arrive, some arrive twice (the very same bytes), and read sometimes precedes delivered.
    expect(patterns.some((p) => new Set(p).size < 3)).toBe(true)
    const duplicates = first.flatMap((posts) => posts.filter((p, i) => posts.findIndex((q) => q.raw === p.raw) !== i))
    expect(duplicates).toHaveLength(counters.duplicated)
    expect(patterns.some((p) => p.includes('read') && p.includes('delivered') && p.indexOf('read') < p.indexOf('delivered'))).toBe(true)
    for (const post of first.flat()) expect(signedCorrectly(post)).toBe(true)

    await control('POST', 'config', { seed: 42 })
    const second = await run()
    expect(second.map(order)).toEqual(patterns)
  })

  it('autoRead off stops at delivered', async () => {
    await control('POST', 'config', { autoRead: false })
    const { json } = await send(template(nextCustomer()))
    await quiet()
    expect(statusesOf(json.messages[0]!.id).map((s) => s.status)).toEqual(['sent', 'delivered'])
  })

  it('a webhook the app refuses is retried with backoff, and an unreachable app never crashes the emulator', async () => {
    refuseNext = 2
    const result = await control<{ delivered: boolean; status: number; wamid: string }>('POST', 'inbound', {
      phoneNumberId: NUMBER.phoneNumberId,
      from: nextCustomer(),
      type: 'text',
      text: { body: 'hello?' },
    })
    expect(result).toMatchObject({ delivered: false, status: 500 })
    await quiet()
    const attempts = received.filter((r) => r.raw.includes(result.wamid))
    expect(attempts).toHaveLength(3)
    expect(new Set(attempts.map((a) => a.raw)).size).toBe(1)
    let stats = await control<{ webhooks: { posted: number; retried: number; failed: number } }>('GET', 'stats')
    expect(stats.webhooks).toMatchObject({ posted: 1, retried: 2, failed: 0 })

    await control('POST', 'config', { webhookUrl: 'http://127.0.0.1:9/unreachable' })
    const lost = await control<{ delivered: boolean; status: number | null }>('POST', 'inbound', {
      phoneNumberId: NUMBER.phoneNumberId,
      from: nextCustomer(),
      type: 'text',
      text: { body: 'anyone?' },
    })
    expect(lost).toMatchObject({ delivered: false, status: null })
    await quiet()
    stats = await control('GET', 'stats')
    expect(stats.webhooks.failed).toBe(1)
    expect((await fetch(`${emulator.url}/health`)).status).toBe(200)
  })
})

describe('status batching', () => {
  interface Counters {
    posted: number
    retried: number
    failed: number
    duplicated: number
    statusesPosted: number
  }
  const stats = () => control<{ numbers: Record<string, { webhooks: Counters }>; webhooks: Counters; pending: number }>('GET', 'stats')
  const statusesIn = (r: Received) => valuesOf(r).flatMap((v) => v.statuses ?? [])
  const keyOf = (s: StatusJson) => `${s.id}:${s.status}`
  // Templates to new customers, sent at once; their wamids.
  const burst = async (n: number) =>
    (await Promise.all(Array.from({ length: n }, () => send(template(nextCustomer()))))).map((r) => {
      expect(r.status).toBe(200)
      return r.json.messages[0]!.id
    })
  // Every status of every send arrives, and none twice.
  const expectEachStatusOnce = (wamids: string[], posts: Received[]) =>
    expect(posts.flatMap(statusesIn).map(keyOf).sort()).toEqual(wamids.flatMap((w) => ['sent', 'delivered', 'read'].map((s) => `${w}:${s}`)).sort())

  it('on: statuses share POSTs of one entry with several changes of up to 10 statuses, signed over the exact bytes', async () => {
    // A window far longer than the test: the three batches can only go out because each one fills up.
    await control('POST', 'config', { statusBatching: 'on', statusBatchWindowMs: 60_000, statusBatchMax: 30 })
    const wamids = await burst(30)
    await waitFor(() => received.length === 3)
    await quiet()
    expect(received).toHaveLength(3)
    for (const post of received) {
      expect(signedCorrectly(post)).toBe(true)
      expect(post.body.object).toBe('whatsapp_business_account')
      expect(post.body.entry.map((e) => e.id)).toEqual([WABA])
      const changes = post.body.entry[0]!.changes
      expect(changes.map((c) => c.value.statuses!.length)).toEqual([10, 10, 10])
      for (const change of changes) {
        expect(change.field).toBe('messages')
        expect(change.value.messaging_product).toBe('whatsapp')
        expect(change.value.metadata).toEqual({ display_phone_number: '15550100001', phone_number_id: NUMBER.phoneNumberId })
      }
    }
    expectEachStatusOnce(wamids, received)
    const { webhooks, numbers } = await stats()
    expect(webhooks).toMatchObject({ posted: 3, retried: 0, failed: 0, statusesPosted: 90 })
    expect(numbers[NUMBER.phoneNumberId]!.webhooks).toMatchObject({ posted: 3, statusesPosted: 90 })
  })

  it('on: statuses falling due within the window wait in the outbox, counted as pending, and go out together', async () => {
    await control('POST', 'config', { statusBatching: 'on', statusBatchWindowMs: 1000, statusDelays: { sent: 0, delivered: 0, read: 0 }, jitterMs: 0 })
    const [wamid] = await burst(1)
    // The three statuses are due at once: they wait with the outbox's flush timer, and nothing is posted yet.
    await waitFor(async () => (await stats()).pending === 4)
    expect(received).toHaveLength(0)
    await quiet()
    expect(received).toHaveLength(1)
    expect(signedCorrectly(received[0]!)).toBe(true)
    expect(valuesOf(received[0]!).map((v) => v.statuses!.map(keyOf))).toEqual([['sent', 'delivered', 'read'].map((s) => `${wamid}:${s}`)])
    expect((await stats()).webhooks).toMatchObject({ posted: 1, statusesPosted: 3 })
  })

  it('on: a duplicated status comes again in a later POST, never twice in the same one', async () => {
    await control('POST', 'config', { statusBatching: 'on', duplicateRate: 1 })
    const wamids = await burst(5)
    await quiet()
    const keys = wamids.flatMap((w) => ['sent', 'delivered', 'read'].map((s) => `${w}:${s}`))
    for (const key of keys) {
      const posts = received.filter((r) => statusesIn(r).some((s) => keyOf(s) === key))
      expect(posts, key).toHaveLength(2)
      for (const post of posts) expect(statusesIn(post).filter((s) => keyOf(s) === key)).toHaveLength(1)
    }
    expect(received.length).toBeLessThan(30)
    const { webhooks, numbers } = await stats()
    expect(webhooks.statusesPosted).toBe(30)
    expect(numbers[NUMBER.phoneNumberId]!.webhooks).toMatchObject({ duplicated: 15, statusesPosted: 30 })
  })

  it('off: one status per POST even above the threshold', async () => {
    await control('POST', 'config', { statusBatching: 'off' })
    const wamids = await burst(25)
    await waitFor(() => received.length === 75)
    await quiet()
    expect(received).toHaveLength(75)
    for (const post of received) {
      expect(post.body.entry).toHaveLength(1)
      expect(post.body.entry[0]!.changes).toHaveLength(1)
      expect(statusesIn(post)).toHaveLength(1)
      expect(signedCorrectly(post)).toBe(true)
    }
    expectEachStatusOnce(wamids, received)
    expect((await stats()).webhooks).toMatchObject({ posted: 75, statusesPosted: 75 })
  })

  it('auto: a trickle is posted one by one, a burst above the threshold is batched', async () => {
    const { config } = await control<{ config: Record<string, unknown> }>('GET', 'config')
    expect(config).toMatchObject({ statusBatching: 'auto', statusBatchThreshold: 50, statusBatchWindowMs: 50, statusBatchMax: 100 })
    await control('POST', 'config', { statusBatchThreshold: 20 })

    // Four sends a quarter of a second apart: at most 12 statuses in any second.
    const trickle: string[] = []
    for (let i = 0; i < 4; i++) {
      trickle.push(...(await burst(1)))
      await sleep(250)
    }
    await quiet()
    expect(received).toHaveLength(12)
    for (const post of received) expect(statusesIn(post)).toHaveLength(1)
    expectEachStatusOnce(trickle, received)

    const before = received.length
    const wamids = await burst(40)
    await quiet()
    const posts = received.slice(before)
    expectEachStatusOnce(wamids, posts)
    expect(posts.length).toBeLessThan(120)
    expect(posts.some((p) => statusesIn(p).length > 1)).toBe(true)
    for (const post of posts) expect(signedCorrectly(post)).toBe(true)
    expect((await stats()).webhooks).toMatchObject({ posted: 12 + posts.length, statusesPosted: 132 })
  })

  it('a batch the app refuses is retried whole, as the same signed bytes', async () => {
    await control('POST', 'config', { statusBatching: 'on', statusBatchWindowMs: 60_000, statusBatchMax: 12 })
    refuseNext = 2
    const wamids = await burst(4)
    await quiet()
    expect(received).toHaveLength(3)
    expect(new Set(received.map((r) => r.raw)).size).toBe(1)
    for (const attempt of received) expect(signedCorrectly(attempt)).toBe(true)
    expect(valuesOf(received[0]!).map((v) => v.statuses!.length)).toEqual([10, 2])
    expectEachStatusOnce(wamids, [received[0]!])
    expect((await stats()).webhooks).toMatchObject({ posted: 1, retried: 2, failed: 0, statusesPosted: 12 })
  })

  it('the mode comes from META_EMULATOR_STATUS_BATCHING and the config API, and nothing else is taken', async () => {
    const fromEnv = (value: string | undefined) => metaEmulatorOptionsFromEnv({ ...process.env, META_EMULATOR_STATUS_BATCHING: value }).statusBatching
    expect(fromEnv('on')).toBe('on')
    expect(fromEnv(undefined)).toBeUndefined()
    expect(() => fromEnv('sometimes')).toThrow(/auto, on, off/)
    const refused = await control<{ error: { code: string } }>('POST', 'config', { statusBatching: 'sometimes' })
    expect(refused.error.code).toBe('validation_failed')
    expect((await control<{ error: { code: string } }>('POST', 'config', { statusBatchMax: 0 })).error.code).toBe('validation_failed')
  })
})

describe('media', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

  async function upload(bytes: Buffer, type: string, token = NUMBER.accessToken, fields: Record<string, string> = { messaging_product: 'whatsapp' }) {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    form.set('type', type)
    form.set('file', new Blob([new Uint8Array(bytes)], { type }), 'file.bin')
    const res = await fetch(`${emulator.url}/v23.0/${NUMBER.phoneNumberId}/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
    return { status: res.status, json: (await res.json()) as { id: string } & GraphError }
  }

  it('upload, url lookup and an authorized download round-trip; a wrong token is 190/401', async () => {
    const { status, json } = await upload(png, 'image/png')
    expect(status).toBe(200)
    expect(json.id).toMatch(/^\d{15,16}$/)

    const info = await graph<{ url: string; mime_type: string; sha256: string; file_size: number; id: string; messaging_product: string }>('GET', json.id)
    expect(info.json).toEqual({
      url: expect.stringContaining(emulator.url),
      mime_type: 'image/png',
      sha256: createHash('sha256').update(png).digest('hex'),
      file_size: png.length,
      id: json.id,
      messaging_product: 'whatsapp',
    })
    const download = await fetch(info.json.url, { headers: { authorization: `Bearer ${NUMBER.accessToken}` } })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true)

    for (const headers of [{ authorization: 'Bearer wrong' }, {}, { authorization: `Bearer ${OTHER.accessToken}` }] as Record<string, string>[]) {
      const denied = await fetch(info.json.url, { headers })
      expect(denied.status).toBe(401)
      expect(((await denied.json()) as GraphError).error.code).toBe(190)
    }
    expect((await graph<GraphError>('GET', json.id, { token: 'wrong' })).json.error.code).toBe(190)

    // The uploaded id can be sent; an unknown one cannot.
    const customer = nextCustomer()
    await openWindow(customer)
    const sent = await send({ messaging_product: 'whatsapp', to: customer, type: 'image', image: { id: json.id, caption: 'pixel' } })
    expect(sent.status).toBe(200)
    const unknown = await send({ messaging_product: 'whatsapp', to: nextCustomer(), type: 'image', image: { id: '1234567890123456' } })
    expect(unknown.json.error).toMatchObject({ code: 100, error_data: { details: expect.stringContaining("image['id']") } })

    expect((await graph('DELETE', json.id)).json).toEqual({ success: true })
    expect((await graph<GraphError>('GET', json.id)).json.error).toMatchObject({ code: 100, error_subcode: 33 })
  })

  it("uploads outside Meta's type and size limits are refused", async () => {
    const big = await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/png')
    expect(big.status).toBe(400)
    expect(big.json.error).toMatchObject({ code: 131053, error_data: { details: expect.stringContaining('image') } })

    const sticker = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'binary'), Buffer.alloc(150 * 1024)])
    expect((await upload(sticker, 'image/webp')).json.error.code).toBe(131053)

    const zip = await upload(Buffer.from('PK\x03\x04'), 'application/zip')
    expect(zip.json.error).toMatchObject({ code: 100, error_data: { details: expect.stringContaining("Received file of type 'application/zip'") } })

    const noProduct = await upload(png, 'image/png', NUMBER.accessToken, {})
    expect(noProduct.json.error.message).toBe('(#100) The parameter messaging_product is required')
    expect((await upload(png, 'image/png', 'wrong')).status).toBe(401)
  })
})

describe('templates and phone numbers', () => {
  interface TemplateList {
    data: { name: string; status: string; id: string }[]
    paging?: { cursors: { before: string; after: string }; next?: string; previous?: string }
  }

  it('creates a template that is approved by webhook, pages the list with cursors and deletes by name', async () => {
    const created = await graph<{ id: string; status: string; category: string }>('POST', `${WABA}/message_templates`, {
      body: {
        name: 'spring_sale',
        language: 'en_US',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Hi {{1}}, spring is here.', example: { body_text: [['Ana']] } }],
      },
    })
    expect(created.status).toBe(200)
    expect(created.json).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'MARKETING' })

    const update = await waitFor(() => received.find((r) => r.body.entry[0]!.changes[0]!.field === 'message_template_status_update'))
    expect(signedCorrectly(update)).toBe(true)
    expect(update.body.entry[0]).toMatchObject({ id: WABA, time: expect.any(Number) })
    expect(update.body.entry[0]!.changes[0]!.value).toEqual({
      event: 'APPROVED',
      message_template_id: Number(created.json.id),
      message_template_name: 'spring_sale',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'MARKETING',
    })

    const first = await graph<TemplateList>('GET', `${WABA}/message_templates?limit=3&fields=name,status`)
    expect(first.json.data).toHaveLength(3)
    expect(Object.keys(first.json.data[0]!)).toEqual(['name', 'status', 'id'])
    expect(first.json.paging?.previous).toBeUndefined()
    // Graph's paging links carry the token, so they are fetched as they are.
    const second = (await (await fetch(first.json.paging!.next!)).json()) as TemplateList
    expect(second.data.map((t) => t.name)).toEqual(['spring_sale'])
    expect(second.data[0]!.status).toBe('APPROVED')
    expect(second.paging?.next).toBeUndefined()
    expect(second.paging?.previous).toBeDefined()
    expect([...first.json.data, ...second.data].map((t) => t.name).sort()).toEqual(['hello_world', 'order_update', 'promo_image', 'spring_sale'])
    const afterCursor = await graph<TemplateList>('GET', `${WABA}/message_templates?limit=2&after=${first.json.paging!.cursors.after}`)
    expect(afterCursor.json.data.map((t) => t.name)).toEqual(['spring_sale'])

    const send1 = await send(template(nextCustomer(), 'spring_sale', [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }]))
    expect(send1.status).toBe(200)

    const bad = await graph<GraphError>('POST', `${WABA}/message_templates`, {
      body: { name: 'Spring Sale', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'x' }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe(100)
    const duplicate = await graph<GraphError>('POST', `${WABA}/message_templates`, {
      body: { name: 'spring_sale', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'x' }] },
    })
    expect(duplicate.json.error).toMatchObject({ code: 100, error_subcode: 2388024 })
    const category = await graph<GraphError>('POST', `${WABA}/message_templates`, {
      body: { name: 'other', language: 'en_US', category: 'PROMO', components: [{ type: 'BODY', text: 'x' }] },
    })
    expect(category.json.error.message).toContain('Param category must be one of')

    expect((await graph('DELETE', `${WABA}/message_templates?name=spring_sale`)).json).toEqual({ success: true })
    const after = await graph<TemplateList>('GET', `${WABA}/message_templates`)
    expect(after.json.data.map((t) => t.name)).not.toContain('spring_sale')
    // Another business's token cannot see this WABA: Graph answers as for an object that does not exist.
    const foreign = await graph<GraphError>('GET', `${WABA}/message_templates`, { token: OTHER.accessToken })
    expect(foreign.status).toBe(400)
    expect(foreign.json.error).toMatchObject({ code: 100, error_subcode: 33 })
  })

  it("answers a phone number's fields", async () => {
    const { status, json } = await graph(
      'GET',
      `${NUMBER.phoneNumberId}?fields=display_phone_number,verified_name,quality_rating,messaging_limit_tier,throughput,code_verification_status,name_status,platform_type`,
    )
    expect(status).toBe(200)
    expect(json).toEqual({
      display_phone_number: '+1 555-010-0001',
      verified_name: 'Demo Coffee Co.',
      quality_rating: 'GREEN',
      messaging_limit_tier: 'TIER_1K',
      throughput: { level: 'STANDARD' },
      code_verification_status: 'VERIFIED',
      name_status: 'APPROVED',
      platform_type: 'CLOUD_API',
      id: NUMBER.phoneNumberId,
    })
    const unknownField = await graph<GraphError>('GET', `${NUMBER.phoneNumberId}?fields=favourite_colour`)
    expect(unknownField.json.error.message).toContain('nonexisting field (favourite_colour)')
    await control('POST', 'numbers', { ...NUMBER, mps: 1000, qualityRating: 'YELLOW' })
    expect((await graph('GET', `${NUMBER.phoneNumberId}?fields=throughput,quality_rating`)).json).toEqual({
      throughput: { level: 'HIGH' },
      quality_rating: 'YELLOW',
      id: NUMBER.phoneNumberId,
    })
  })
})

describe('WABAs, tokens and app subscriptions', () => {
  interface NumberList {
    data: { id: string; display_phone_number?: string }[]
    paging?: { cursors: { before: string; after: string }; next?: string; previous?: string }
  }
  interface WabaView {
    wabaId: string
    phoneNumberIds: string[]
    tokens: { accessToken: string; permissions: string[] }[]
    subscribedApps: { id: string; name: string; overrideCallbackUri: string | null }[]
  }
  const wabaView = async (wabaId: string) => (await control<{ wabas: WabaView[] }>('GET', `wabas?wabaId=${wabaId}`)).wabas[0]

  it("lists a WABA's numbers with cursor paging, and answers a WABA the token cannot see as one that does not exist", async () => {
    const all = await graph<NumberList>('GET', `${WABA}/phone_numbers?fields=display_phone_number`)
    expect(all.status).toBe(200)
    expect(all.json.data).toEqual([
      { display_phone_number: NUMBER.displayPhoneNumber, id: NUMBER.phoneNumberId },
      { display_phone_number: SLOW.displayPhoneNumber, id: SLOW.phoneNumberId },
    ])
    expect(all.json.paging?.next).toBeUndefined()

    const first = await graph<NumberList>('GET', `${WABA}/phone_numbers?limit=1`)
    expect(first.json.data.map((n) => n.id)).toEqual([NUMBER.phoneNumberId])
    expect(first.json.paging?.next).toContain('access_token=')
    const second = (await (await fetch(first.json.paging!.next!)).json()) as NumberList
    expect(second.data.map((n) => n.id)).toEqual([SLOW.phoneNumberId])
    expect(second.paging?.next).toBeUndefined()
    expect(second.paging?.previous).toBeDefined()

    // The token of another business's number, and a WABA Meta does not have: the same answer, naming the id asked for.
    const foreign = await graph<GraphError>('GET', `${WABA}/phone_numbers`, { token: OTHER.accessToken })
    const missing = await graph<GraphError>('GET', '299999999999999/phone_numbers')
    for (const [answer, id] of [[foreign, WABA], [missing, '299999999999999']] as const) {
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' })
      expect(answer.json.error.message).toContain(`Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions`)
    }
    expect((await graph<GraphError>('GET', `${WABA}/phone_numbers`, { token: 'not-a-token' })).json.error.code).toBe(190)
  })

  it('a token granted to WABAs reads them and their numbers; without whatsapp_business_management it gets a code 200 permission error', async () => {
    const granted = await control<{ tokens: { accessToken: string; wabas: { wabaId: string; permissions: string[] }[] }[] }>('POST', 'tokens', {
      accessToken: 'token-system-user',
      wabaIds: [WABA, OTHER.wabaId],
    })
    expect(granted.tokens[0]!.wabas.map((w) => w.wabaId)).toEqual([WABA, OTHER.wabaId])
    const other = await graph<NumberList>('GET', `${OTHER.wabaId}/phone_numbers`, { token: 'token-system-user' })
    expect(other.json.data.map((n) => n.id)).toEqual([OTHER.phoneNumberId])
    expect((await graph('GET', `${NUMBER.phoneNumberId}?fields=verified_name`, { token: 'token-system-user' })).status).toBe(200)
    expect((await send(template(nextCustomer()), NUMBER.phoneNumberId, 'token-system-user')).status).toBe(200)
    // A WABA it was not granted is still out of sight.
    expect((await graph<GraphError>('GET', '205000000000002/phone_numbers', { token: 'token-system-user' })).json.error.code).toBe(100)

    await control('POST', 'tokens', { accessToken: 'token-messaging-only', wabaIds: [WABA], permissions: ['whatsapp_business_messaging'] })
    const denied = await graph<GraphError>('GET', `${WABA}/phone_numbers`, { token: 'token-messaging-only' })
    expect(denied.status).toBe(403)
    expect(denied.json.error).toMatchObject({ code: 200, type: 'OAuthException', message: '(#200) Permissions error' })
    expect((await send(template(nextCustomer()), NUMBER.phoneNumberId, 'token-messaging-only')).status).toBe(200)

    expect(await wabaView(WABA)).toMatchObject({
      phoneNumberIds: [NUMBER.phoneNumberId, SLOW.phoneNumberId],
      tokens: [
        { accessToken: 'token-system-user', permissions: ['whatsapp_business_management', 'whatsapp_business_messaging'] },
        { accessToken: 'token-messaging-only', permissions: ['whatsapp_business_messaging'] },
      ],
    })
    // A number registered under a new WABA is listed there; an empty WABA lists nothing.
    await control('POST', 'wabas', { wabaId: '205000000000003', name: 'Empty Co.' })
    await control('POST', 'tokens', { accessToken: 'token-system-user', wabaIds: ['205000000000003'] })
    expect((await graph<NumberList>('GET', '205000000000003/phone_numbers', { token: 'token-system-user' })).json).toEqual({ data: [] })
    await quiet()
  })

  it('POST subscribed_apps subscribes the app, GET lists it, DELETE removes it; others cannot touch it', async () => {
    expect((await graph('GET', `${WABA}/subscribed_apps`)).json).toEqual({ data: [] })
    expect(await graph('POST', `${WABA}/subscribed_apps`)).toEqual({ status: 200, json: { success: true } })
    const listed = await graph<{ data: { whatsapp_business_api_data: { id: string; name: string; link: string } }[] }>('GET', `${WABA}/subscribed_apps`)
    expect(listed.json.data).toEqual([{ whatsapp_business_api_data: { id: expect.stringMatching(/^\d+$/), name: 'Conversa', link: expect.any(String) } }])
    expect((await wabaView(WABA))!.subscribedApps).toEqual([
      { id: listed.json.data[0]!.whatsapp_business_api_data.id, name: 'Conversa', overrideCallbackUri: null, subscribedAt: expect.any(String) },
    ])

    const noVerifyToken = await graph<GraphError>('POST', `${WABA}/subscribed_apps`, { body: { override_callback_uri: 'https://example.test/hook' } })
    expect(noVerifyToken.json.error).toMatchObject({ code: 100, message: '(#100) The parameter verify_token is required' })
    const foreign = await graph<GraphError>('POST', `${WABA}/subscribed_apps`, { token: OTHER.accessToken })
    expect(foreign.json.error).toMatchObject({ code: 100, error_subcode: 33 })
    expect((await wabaView(OTHER.wabaId))!.subscribedApps).toEqual([])

    expect((await graph('DELETE', `${WABA}/subscribed_apps`)).json).toEqual({ success: true })
    expect((await wabaView(WABA))!.subscribedApps).toEqual([])
  })

  it('reset forgets grants and subscriptions but keeps the configured numbers', async () => {
    await control('POST', 'tokens', { accessToken: 'token-system-user', wabaIds: [WABA] })
    await graph('POST', `${WABA}/subscribed_apps`)
    await control('POST', 'reset')
    expect((await graph<GraphError>('GET', `${WABA}/phone_numbers`, { token: 'token-system-user' })).json.error.code).toBe(190)
    expect(await wabaView(WABA)).toMatchObject({ phoneNumberIds: [NUMBER.phoneNumberId, SLOW.phoneNumberId], tokens: [], subscribedApps: [] })
  })
})

describe('control inbound', () => {
  const context = { id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA' }
  // Each request with the keys its message object must have, as in Meta's webhook reference.
  const cases: [Record<string, unknown>, string[], Record<string, string[]>][] = [
    [{ type: 'text', text: { body: 'Oi' } }, ['from', 'id', 'timestamp', 'type', 'text'], { text: ['body'] }],
    [
      { type: 'image', image: { caption: 'damaged box', mime_type: 'image/png', data: 'iVBORw0KGgo=' } },
      ['from', 'id', 'timestamp', 'type', 'image'],
      { image: ['caption', 'mime_type', 'sha256', 'id'] },
    ],
    [{ type: 'video', video: { caption: 'unboxing' } }, ['from', 'id', 'timestamp', 'type', 'video'], { video: ['caption', 'mime_type', 'sha256', 'id'] }],
    [{ type: 'audio', audio: { mime_type: 'audio/mpeg' } }, ['from', 'id', 'timestamp', 'type', 'audio'], { audio: ['mime_type', 'sha256', 'id', 'voice'] }],
    [{ type: 'voice' }, ['from', 'id', 'timestamp', 'type', 'audio'], { audio: ['mime_type', 'sha256', 'id', 'voice'] }],
    [
      { type: 'document', document: { caption: 'Invoice', filename: 'invoice-1042.pdf' } },
      ['from', 'id', 'timestamp', 'type', 'document'],
      { document: ['caption', 'filename', 'mime_type', 'sha256', 'id'] },
    ],
    [{ type: 'sticker', sticker: { animated: true } }, ['from', 'id', 'timestamp', 'type', 'sticker'], { sticker: ['mime_type', 'sha256', 'id', 'animated'] }],
    [
      { type: 'location', location: { latitude: 37.46, longitude: -122.21, name: 'Meta HQ', address: '1 Hacker Way' } },
      ['from', 'id', 'timestamp', 'type', 'location'],
      { location: ['latitude', 'longitude', 'name', 'address'] },
    ],
    [
      { type: 'contacts', contacts: [{ name: { formatted_name: 'João Lima', first_name: 'João' }, phones: [{ phone: '+55 11 91234-5678', type: 'CELL' }] }] },
      ['from', 'id', 'timestamp', 'type', 'contacts'],
      {},
    ],
    [
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'confirm_yes', title: 'Yes, confirm' } }, context },
      ['from', 'id', 'timestamp', 'type', 'interactive', 'context'],
      { interactive: ['type', 'button_reply'], context: ['from', 'id'] },
    ],
    [
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'slot_10', title: 'Sat 10h', description: '10–12' } }, context },
      ['from', 'id', 'timestamp', 'type', 'interactive', 'context'],
      { interactive: ['type', 'list_reply'] },
    ],
    [
      { type: 'button', button: { payload: 'STOP_PROMOTIONS', text: 'Stop promotions' }, context },
      ['from', 'id', 'timestamp', 'type', 'button', 'context'],
      { button: ['payload', 'text'] },
    ],
    [{ type: 'reaction', reaction: { message_id: context.id, emoji: '👍' } }, ['from', 'id', 'timestamp', 'type', 'reaction'], { reaction: ['message_id', 'emoji'] }],
    [
      {
        type: 'order',
        order: { catalog_id: '354160437058781', text: 'no onions', product_items: [{ product_retailer_id: 'TACO', quantity: 3, item_price: 45.5, currency: 'MXN' }] },
      },
      ['from', 'id', 'timestamp', 'type', 'order'],
      { order: ['catalog_id', 'text', 'product_items'] },
    ],
    [
      { type: 'system', system: { wa_id: '5511976543210' } },
      ['from', 'id', 'timestamp', 'type', 'system'],
      { system: ['body', 'wa_id', 'type'] },
    ],
    [{ type: 'unsupported', unsupported: { type: 'poll' } }, ['from', 'id', 'timestamp', 'type', 'unsupported', 'errors'], { unsupported: ['type'] }],
  ]

  it('injects every message type as a signed, Meta-shaped webhook', async () => {
    for (const [input, keys, nested] of cases) {
      const from = nextCustomer()
      const result = await control<{ wamid: string; mediaId: string | null; delivered: boolean; status: number }>('POST', 'inbound', {
        phoneNumberId: NUMBER.phoneNumberId,
        from,
        profileName: 'Sheena Nelson',
        ...input,
      })
      expect(result, JSON.stringify(input)).toMatchObject({ delivered: true, status: 200 })
      const post = received.find((r) => r.raw.includes(result.wamid))!
      expect(signedCorrectly(post)).toBe(true)
      expect(post.body.object).toBe('whatsapp_business_account')
      expect(post.body.entry[0]!.id).toBe(WABA)
      const value = post.body.entry[0]!.changes[0]!.value
      expect(value.messaging_product).toBe('whatsapp')
      expect(value.metadata).toEqual({ display_phone_number: '15550100001', phone_number_id: NUMBER.phoneNumberId })
      if (input.type === 'system') expect(value.contacts).toBeUndefined()
      else expect(value.contacts).toEqual([{ profile: { name: 'Sheena Nelson' }, wa_id: from }])
      const message = value.messages![0]!
      expect(Object.keys(message), String(input.type)).toEqual(keys)
      expect(message).toMatchObject({ from, id: result.wamid, timestamp: expect.stringMatching(/^\d{10}$/) })
      for (const [key, inner] of Object.entries(nested)) expect(Object.keys(message[key] as object), key).toEqual(inner)
      if (input.context) expect(message.context).toEqual({ from: '15550100001', id: context.id })

      if (result.mediaId) {
        const kind = message.type as string
        const media = message[kind] as { id: string; sha256: string; mime_type: string }
        expect(media.id).toBe(result.mediaId)
        const info = await graph<{ url: string; sha256: string }>('GET', media.id)
        const bytes = Buffer.from(await (await fetch(info.json.url, { headers: { authorization: `Bearer ${NUMBER.accessToken}` } })).arrayBuffer())
        expect(createHash('sha256').update(bytes).digest('base64')).toBe(media.sha256)
        expect(info.json.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
      }
    }
    const voice = received.flatMap((r) => valuesOf(r).flatMap((v) => v.messages ?? [])).find((m) => (m.audio as { voice?: boolean })?.voice)
    expect(voice?.audio).toMatchObject({ mime_type: 'audio/ogg; codecs=opus', voice: true })
  })

  it('batches several messages in one payload and opens the 24 h window', async () => {
    const [ana, bruno] = [nextCustomer(), nextCustomer()]
    const result = await control<{ wamids: string[]; delivered: boolean }>('POST', 'inbound', [
      { phoneNumberId: NUMBER.phoneNumberId, from: ana, profileName: 'Ana', type: 'text', text: { body: 'Oi' } },
      { phoneNumberId: NUMBER.phoneNumberId, from: bruno, profileName: 'Bruno', type: 'text', text: { body: 'Hello' } },
      { phoneNumberId: NUMBER.phoneNumberId, from: ana, profileName: 'Ana', type: 'image', image: { caption: 'receipt' } },
    ])
    expect(result.wamids).toHaveLength(3)
    expect(received).toHaveLength(1)
    const value = received[0]!.body.entry[0]!.changes[0]!.value
    expect(value.contacts!.map((c) => c.wa_id)).toEqual([ana, bruno])
    expect(value.messages!.map((m) => m.id)).toEqual(result.wamids)

    const { json } = await send(text(bruno))
    await waitFor(() => statusesOf(json.messages[0]!.id).length === 3)
    expect(statusesOf(json.messages[0]!.id).map((s) => s.status)).toEqual(['sent', 'delivered', 'read'])
  })

  it('rejects an inbound request without its type object or for an unknown number', async () => {
    const missing = await control<{ error: { code: string; message: string } }>('POST', 'inbound', {
      phoneNumberId: NUMBER.phoneNumberId,
      from: nextCustomer(),
      type: 'text',
    })
    expect(missing.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('text') })
    const unknown = await control<{ error: { code: string } }>('POST', 'inbound', {
      phoneNumberId: '1',
      from: nextCustomer(),
      type: 'text',
      text: { body: 'x' },
    })
    expect(unknown.error.code).toBe('not_found')
  })
})
