import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGraphClient, type GraphExchange } from '@/core/whatsapp/graph-client'
import { GraphApiError } from '@/core/whatsapp/graph-errors'
import { outboundMessageSchema } from '@/core/whatsapp/outbound-message'
import { undiciExchange } from '@/server/whatsapp/undici-exchange'
import bodies from './fixtures/graph-error-bodies.json'
import messages from './fixtures/outbound-messages.json'
import templates from './fixtures/templates.json'

const TOKEN = 'EAAGtestTOKEN0123456789abcdefSECRET'

type Seen = { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer }
type Reply = { status?: number; json?: unknown; raw?: string | Buffer; headers?: Record<string, string>; hang?: boolean }

// A stand-in for graph.facebook.com: records every request and answers with whatever the test sets.
let server: Server
let base: string
let seen: Seen[] = []
let answer: (request: Seen) => Reply = () => ({ json: {} })

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const request = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      seen.push(request)
      const reply = answer(request)
      if (reply.hang) return
      const payload = reply.raw ?? JSON.stringify(reply.json ?? {})
      res.writeHead(reply.status ?? 200, {
        'content-type': reply.raw === undefined ? 'application/json' : 'text/plain',
        ...reply.headers,
      })
      res.end(payload)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  seen = []
  answer = () => ({ json: {} })
})

// Every case runs over both exchanges: fetch (the default) and undici's request (what the app and the worker use).
let exchange: GraphExchange | undefined
const client = (options: { timeoutMs?: number; baseUrl?: string } = {}) =>
  createGraphClient({ baseUrl: options.baseUrl ?? base, version: 'v23.0', timeoutMs: options.timeoutMs ?? 2_000, exchange })

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof GraphApiError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

const everythingSaid = (error: GraphApiError) =>
  [error.message, String(error), error.stack ?? '', JSON.stringify(error.info)].join('\n')

describe.each([
  ['fetch', undefined],
  ['undici request', undiciExchange],
])('Graph client over %s', (_name, over) => {
  beforeEach(() => {
    exchange = over
  })

  it('sends a message to /{version}/{phone-number-id}/messages with the bearer token and returns the wamid', async () => {
    answer = () => ({
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA', message_status: 'accepted' }],
      },
    })
    const body = outboundMessageSchema.parse(messages.text.maximal)
    const sent = await client().sendMessage('106540352242922', TOKEN, body)

    expect(sent).toEqual({
      wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
      waId: '16505551234',
      messageStatus: 'accepted',
    })
    const [request] = seen
    expect(request).toMatchObject({ method: 'POST', path: '/v23.0/106540352242922/messages' })
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request!.body.toString())).toEqual(body)
  })

  it('keeps a path prefix in the base URL and ignores a trailing slash', async () => {
    answer = () => ({ json: { messages: [{ id: 'wamid.1' }] } })
    const sent = await client({ baseUrl: `${base}/meta/` }).sendMessage(
      '1065',
      TOKEN,
      outboundMessageSchema.parse(messages.text.minimal),
    )
    expect(seen[0]!.path).toBe('/meta/v23.0/1065/messages')
    expect(sent.waId).toBeNull()
  })

  it('marks a message read, with the typing indicator when asked', async () => {
    answer = () => ({ json: { success: true } })
    await client().markAsRead('1065', TOKEN, 'wamid.IN', { typingIndicator: true })
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v23.0/1065/messages' })
    expect(JSON.parse(seen[0]!.body.toString())).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN',
      typing_indicator: { type: 'text' },
    })
  })

  it('uploads media as multipart form data with the product, the type and the file', async () => {
    answer = () => ({ json: { id: '1037543291543636' } })
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
    const uploaded = await client().uploadMedia('1065', TOKEN, { bytes, mimeType: 'image/jpeg', filename: 'receipt.jpg' })

    expect(uploaded).toEqual({ id: '1037543291543636' })
    const [request] = seen
    expect(request).toMatchObject({ method: 'POST', path: '/v23.0/1065/media' })
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const form = await new Response(new Uint8Array(request!.body), {
      headers: { 'content-type': request!.headers['content-type']! },
    }).formData()
    expect(form.get('messaging_product')).toBe('whatsapp')
    expect(form.get('type')).toBe('image/jpeg')
    const file = form.get('file') as File
    expect(file.name).toBe('receipt.jpg')
    expect(file.type).toBe('image/jpeg')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes)
  })

  it('looks up a media URL, reading a file size sent as text', async () => {
    answer = () => ({
      json: {
        messaging_product: 'whatsapp',
        url: `${base}/media/1?sig=x`,
        mime_type: 'image/jpeg',
        sha256: 'abc',
        file_size: '303833',
        id: '1',
      },
    })
    const info = await client().getMediaUrl('1037543291543636', TOKEN, { phoneNumberId: '1065' })
    expect(info).toEqual({ url: `${base}/media/1?sig=x`, mimeType: 'image/jpeg', sha256: 'abc', fileSize: 303833 })
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v23.0/1037543291543636' })
    expect(seen[0]!.query.get('phone_number_id')).toBe('1065')
  })

  it('downloads media with the bearer token', async () => {
    answer = () => ({ raw: Buffer.from('%PDF-1.7 body') })
    const bytes = await client().downloadMedia(`${base}/media/1?sig=x`, TOKEN, { maxBytes: 1_000 })
    expect(Buffer.from(bytes).toString()).toBe('%PDF-1.7 body')
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/media/1' })
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('stops a download that passes maxBytes, whether or not the size is announced', async () => {
    answer = () => ({ raw: Buffer.alloc(5_000, 1), headers: { 'content-length': '5000' } })
    const announced = await failure(client().downloadMedia(`${base}/media/big`, TOKEN, { maxBytes: 4_999 }))
    expect(announced.info).toMatchObject({ kind: 'permanent', title: 'Media file too large' })

    // Chunked, without content-length: the limit is enforced while reading.
    answer = () => ({ raw: Buffer.alloc(5_000, 1), headers: { 'transfer-encoding': 'chunked' } })
    const streamed = await failure(client().downloadMedia(`${base}/media/big`, TOKEN, { maxBytes: 1_000 }))
    expect(streamed.info).toMatchObject({ kind: 'permanent', title: 'Media file too large' })
  })

  it('refuses to send the token to a media URL outside Meta and the Graph origin', async () => {
    const error = await failure(client().downloadMedia('https://attacker.example.com/steal', TOKEN, { maxBytes: 1_000 }))
    expect(error.info).toMatchObject({ kind: 'permanent', details: 'attacker.example.com' })
    const plainHttp = await failure(client().downloadMedia('http://lookaside.fbsbx.com/x', TOKEN, { maxBytes: 1_000 }))
    expect(plainHttp.info.kind).toBe('permanent')
    expect(seen).toEqual([])
  })

  it('lists templates page by page through the cursor, never echoing the token from the next link', async () => {
    const pages = [
      { data: [templates.order_update], after: 'c1' },
      { data: [templates.welcome_named], after: 'c2' },
      { data: [templates.login_code, templates.hello_world], after: 'c3' },
    ]
    answer = ({ query }) => {
      const index = ['', 'c1', 'c2'].indexOf(query.get('after') ?? '')
      const page = pages[index]!
      const last = index === pages.length - 1
      const next = `${base}/v23.0/104857293847561/message_templates?access_token=${TOKEN}&after=${page.after}`
      return { json: { data: page.data, paging: { cursors: { before: 'b', after: page.after }, ...(last ? {} : { next }) } } }
    }
    const list = await client().listTemplates('104857293847561', TOKEN)

    expect(list.map((t) => t.name)).toEqual(['order_update', 'welcome_named', 'login_code', 'hello_world'])
    expect(list[0]!.components).toEqual(templates.order_update.components)
    expect(seen.map((r) => r.query.get('after'))).toEqual([null, 'c1', 'c2'])
    for (const request of seen) {
      expect(request.path).toBe('/v23.0/104857293847561/message_templates')
      expect(request.query.get('fields')).toBe('id,name,language,status,category,parameter_format,components,quality_score')
      expect(request.query.get('access_token')).toBeNull()
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    }
  })

  it('stops listing when Meta repeats a cursor', async () => {
    answer = () => ({
      json: { data: [templates.hello_world], paging: { cursors: { after: 'same' }, next: `${base}/next?after=same` } },
    })
    expect(await client().listTemplates('1048', TOKEN)).toHaveLength(2)
    expect(seen).toHaveLength(2)
  })

  it('creates a template and returns its id and status', async () => {
    answer = () => ({ json: { id: '594425479261596', status: 'PENDING', category: 'MARKETING' } })
    const body = {
      name: 'spring_sale',
      language: 'en_US',
      category: 'MARKETING' as const,
      components: [{ type: 'BODY', text: 'Hi!' }],
    }
    expect(await client().createTemplate('1048', TOKEN, body)).toEqual({
      id: '594425479261596',
      status: 'PENDING',
      category: 'MARKETING',
    })
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v23.0/1048/message_templates' })
    expect(JSON.parse(seen[0]!.body.toString())).toEqual(body)
  })

  it('deletes a template by name, and one language of it by hsm_id', async () => {
    answer = () => ({ json: { success: true } })
    await client().deleteTemplate('1048', TOKEN, { name: 'spring_sale' })
    await client().deleteTemplate('1048', TOKEN, { name: 'spring_sale', hsmId: '594425479261596' })
    expect(seen.map((r) => [r.method, r.path, r.query.get('name'), r.query.get('hsm_id')])).toEqual([
      ['DELETE', '/v23.0/1048/message_templates', 'spring_sale', null],
      ['DELETE', '/v23.0/1048/message_templates', 'spring_sale', '594425479261596'],
    ])
  })

  it('reads a phone number with the fields Conversa needs, typed', async () => {
    answer = () => ({
      json: {
        id: '106540352242922',
        display_phone_number: '+1 555-078-3881',
        verified_name: 'Acme Shop',
        quality_rating: 'GREEN',
        messaging_limit_tier: 'TIER_1K',
        throughput: { level: 'STANDARD' },
        code_verification_status: 'VERIFIED',
        name_status: 'APPROVED',
        platform_type: 'CLOUD_API',
      },
    })
    expect(await client().getPhoneNumber('106540352242922', TOKEN)).toEqual({
      id: '106540352242922',
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Acme Shop',
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_1K',
      throughput: { level: 'STANDARD' },
      codeVerificationStatus: 'VERIFIED',
      nameStatus: 'APPROVED',
      platformType: 'CLOUD_API',
    })
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v23.0/106540352242922' })
    expect(seen[0]!.query.get('fields')).toBe(
      'display_phone_number,verified_name,quality_rating,messaging_limit_tier,throughput,code_verification_status,name_status,platform_type',
    )
  })

  it.each([
    ['a closed window', 400, { error: { message: '(#131047) Re-engagement message', code: 131047 } }, 'permanent'],
    ['a throughput limit', 400, { error: { message: '(#130429) Rate limit hit', code: 130429 } }, 'throttled'],
    ['a pair rate limit', 400, bodies.pairRateLimit, 'throttled'],
    ['an expired token', 401, bodies.invalidToken, 'auth'],
    ['a paused template', 400, { error: { message: '(#132015) Template is Paused', code: 132015 } }, 'policy'],
    ['a 503 with an HTML page', 503, '<html>down</html>', 'transient'],
  ])('throws a GraphApiError for %s', async (_label, status, body, kind) => {
    answer = () => (typeof body === 'string' ? { status, raw: body } : { status, json: body })
    const error = await failure(client().sendMessage('1065', TOKEN, outboundMessageSchema.parse(messages.text.minimal)))
    expect(error.info.kind).toBe(kind)
    expect(error.httpStatus).toBe(status)
  })

  it('takes the retry hint from a Retry-After header', async () => {
    answer = () => ({ status: 429, raw: 'slow down', headers: { 'retry-after': '7' } })
    const error = await failure(client().getPhoneNumber('1065', TOKEN))
    expect(error.info).toMatchObject({ kind: 'throttled', retryAfterMs: 7_000 })
  })

  it('turns a timeout into a transient error', async () => {
    answer = () => ({ hang: true })
    const error = await failure(
      client({ timeoutMs: 100 }).sendMessage('1065', TOKEN, outboundMessageSchema.parse(messages.text.minimal)),
    )
    expect(error.info).toMatchObject({ kind: 'transient', title: 'Timed out waiting for Meta' })
    expect(error.httpStatus).toBeUndefined()
  })

  it('turns a refused connection into a transient error', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await failure(client({ baseUrl: `http://127.0.0.1:${port}` }).getPhoneNumber('1065', TOKEN))
    expect(error.info).toMatchObject({ kind: 'transient', title: 'Could not reach Meta' })
  })

  it('does not retry or guess when a send succeeds with an answer it cannot read', async () => {
    answer = () => ({ json: { messaging_product: 'whatsapp', messages: [] } })
    const error = await failure(client().sendMessage('1065', TOKEN, outboundMessageSchema.parse(messages.text.minimal)))
    expect(error.info).toMatchObject({ kind: 'permanent', title: 'Unexpected send response from Meta' })
  })

  it('never puts the token in an error, even when the server echoes it', async () => {
    answer = () => ({
      status: 400,
      json: { error: { message: `Invalid token ${TOKEN}`, code: 999_001, error_data: { details: `token=${TOKEN}` } } },
    })
    const echoed = await failure(client().getPhoneNumber('1065', TOKEN))
    answer = () => ({ hang: true })
    const timedOut = await failure(client({ timeoutMs: 50 }).getPhoneNumber('1065', TOKEN))
    const refused = await failure(client({ baseUrl: 'http://127.0.0.1:9' }).getPhoneNumber('1065', TOKEN))
    for (const error of [echoed, timedOut, refused]) expect(everythingSaid(error)).not.toContain(TOKEN)
    expect(echoed.info.details).toBe('token=[token]')
  })

  it('refuses a token that would break the header, without echoing it', async () => {
    const broken = 'EAAG\nX-Injected: 1'
    const error = await failure(client().getPhoneNumber('1065', broken))
    expect(error.info.kind).toBe('auth')
    expect(everythingSaid(error)).not.toContain(broken)
    expect(seen).toEqual([])
  })
})
