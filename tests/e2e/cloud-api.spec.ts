// The whole Cloud API loop against the running stack and its Meta emulator: a customer writes (text and
// an image), the agent answers, Meta's status webhooks move the ticks, the 24-hour window is enforced,
// templates sync, send and get submitted.
import { randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { DEMO, signUpViaApi } from './support/accounts'
import { DEMO_NUMBER, EMULATOR, injectInbound } from './support/meta'

const customer = () => `4479${String(Date.now()).slice(-6)}${randomBytes(1)[0]! % 10}`

interface Conversation { id: string; contactWaId: string; lastMessagePreview: string }
interface Message { id: string; direction: string; type: string; status: string; wamid: string | null; mediaId: string | null; mediaStatus: string | null; errorCode: number | null }

async function conversationOf(request: APIRequestContext, waId: string) {
  let found: Conversation | undefined
  await expect
    .poll(async () => {
      const { conversations } = (await (await request.get('/api/conversations?limit=100')).json()) as { conversations: Conversation[] }
      found = conversations.find((c) => c.contactWaId === waId)
      return Boolean(found)
    })
    .toBe(true)
  return found!
}

const messagesOf = async (request: APIRequestContext, conversationId: string) =>
  ((await (await request.get(`/api/conversations/${conversationId}/messages`)).json()) as { messages: Message[] }).messages

async function send(request: APIRequestContext, conversationId: string, body: Record<string, unknown>) {
  return request.post(`/api/conversations/${conversationId}/messages`, { data: body })
}

async function statusOf(request: APIRequestContext, conversationId: string, messageId: string) {
  return (await messagesOf(request, conversationId)).find((m) => m.id === messageId)?.status
}

const sentByEmulator = async (request: APIRequestContext, to: string) =>
  ((await (await request.get(`${EMULATOR}/control/sent?phoneNumberId=${DEMO_NUMBER.phoneNumberId}&to=${to}`)).json()) as {
    data: { wamid: string; type: string; body: Record<string, unknown> }[]
  }).data

test.beforeEach(async ({ request }) => {
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
})

test('a customer writes text and an image; the agent replies and the ticks reach read', async ({ request }) => {
  const waId = customer()
  const photo = randomBytes(2048)
  await injectInbound(request, { from: waId, profileName: 'Emulated Emma', type: 'text', text: { body: 'Do you have oat milk?' } })
  await injectInbound(request, { from: waId, type: 'image', image: { caption: 'This one', data: photo.toString('base64'), mime_type: 'image/jpeg' } })

  const conversation = await conversationOf(request, waId)
  let image: Message | undefined
  await expect
    .poll(async () => {
      image = (await messagesOf(request, conversation.id)).find((m) => m.type === 'image')
      return image?.mediaStatus
    })
    .toBe('stored')
  // The stored file is the customer's bytes, served to members only.
  const media = await request.get(`/api/media/${image!.mediaId}`)
  expect(media.status()).toBe(200)
  expect(media.headers()['content-type']).toBe('image/jpeg')
  expect(Buffer.compare(await media.body(), photo)).toBe(0)

  const reply = await send(request, conversation.id, { type: 'text', text: { body: 'We do — see you soon!' } })
  expect(reply.status(), await reply.text()).toBe(202)
  const { message } = (await reply.json()) as { message: { id: string; status: string } }
  expect(message.status).toBe('pending')
  // The emulator answers with a wamid, then posts sent → delivered → read (it auto-reads).
  await expect.poll(() => statusOf(request, conversation.id, message.id), { timeout: 15_000 }).toBe('read')
  const sent = await sentByEmulator(request, waId)
  expect(sent.filter((s) => s.type === 'text')).toHaveLength(1)
  expect(sent[0]!.body).toMatchObject({ text: { body: 'We do — see you soon!' } })

  // Reply buttons pass Meta's limits and go out as interactive.
  const buttons = await send(request, conversation.id, {
    type: 'interactive',
    interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [{ type: 'reply', reply: { id: 'oat', title: 'Oat' } }, { type: 'reply', reply: { id: 'soy', title: 'Soy' } }] } },
  })
  expect(buttons.status()).toBe(202)
  await expect.poll(async () => (await sentByEmulator(request, waId)).map((s) => s.type)).toContain('interactive')
})

test('an agent attaches an image: checked against Meta rules, uploaded, sent by id and shown from our copy', async ({ request }) => {
  const waId = customer()
  await injectInbound(request, { from: waId, type: 'text', text: { body: 'Send me the menu picture' } })
  const conversation = await conversationOf(request, waId)
  const { numbers } = (await (await request.get('/api/numbers')).json()) as { numbers: { id: string; phoneNumberId: string }[] }
  const number = numbers.find((n) => n.phoneNumberId === DEMO_NUMBER.phoneNumberId)!
  const upload = (name: string, mimeType: string, buffer: Buffer, kind?: string) =>
    request.post(`/api/numbers/${number.id}/media`, { multipart: { file: { name, mimeType, buffer }, ...(kind ? { kind } : {}) } })

  const gif = await upload('anim.gif', 'image/gif', randomBytes(64))
  expect(gif.status()).toBe(422)
  expect((await gif.json()).error.message).toContain('image/jpeg, image/png')
  const hugeSticker = await upload('big.webp', 'image/webp', randomBytes(600 * 1024), 'sticker')
  expect(hugeSticker.status()).toBe(422)

  const picture = randomBytes(4096)
  const uploaded = await upload('menu.png', 'image/png', picture)
  expect(uploaded.status(), await uploaded.text()).toBe(201)
  const { media } = (await uploaded.json()) as { media: { id: string; metaMediaId: string; kind: string } }
  expect(media.kind).toBe('image')

  const sent = await send(request, conversation.id, { type: 'image', image: { id: media.metaMediaId, caption: 'Our menu' } })
  expect(sent.status(), await sent.text()).toBe(202)
  await expect.poll(async () => (await sentByEmulator(request, waId)).find((s) => s.type === 'image')?.body).toMatchObject({ image: { id: media.metaMediaId } })
  const shown = (await messagesOf(request, conversation.id)).find((m) => m.type === 'image')!
  expect(shown.mediaId).toBe(media.id)
  expect(Buffer.compare(await (await request.get(`/api/media/${media.id}`)).body(), picture)).toBe(0)
})

test("another workspace cannot fetch a tenant's media or post into its conversations", async ({ playwright, request }) => {
  const waId = customer()
  await injectInbound(request, { from: waId, type: 'document', document: { filename: 'menu.pdf', data: Buffer.from('%PDF-1.4 menu').toString('base64'), mime_type: 'application/pdf' } })
  const conversation = await conversationOf(request, waId)
  let doc: Message | undefined
  await expect
    .poll(async () => {
      doc = (await messagesOf(request, conversation.id)).find((m) => m.type === 'document')
      return doc?.mediaStatus
    })
    .toBe('stored')
  expect((await request.get(`/api/media/${doc!.mediaId}`)).headers()['content-disposition']).toContain('attachment; filename="menu.pdf"')

  const other = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL })
  await signUpViaApi(other, 'media-stranger')
  expect((await other.get(`/api/media/${doc!.mediaId}`)).status()).toBe(404)
  expect(await (await other.get(`/api/conversations/${conversation.id}/messages`)).json()).toMatchObject({ messages: [] })
  expect((await send(other, conversation.id, { type: 'text', text: { body: 'hijack' } })).status()).toBe(404)
  await other.dispose()
})

test('outside the 24-hour window only a template goes out, with its parameters checked first', async ({ request }) => {
  const waId = customer()
  // The customer's last message is 25 hours old: Meta's window (and ours) closed an hour ago.
  await injectInbound(request, { from: waId, type: 'text', text: { body: 'Hello from yesterday' }, timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 })
  const conversation = await conversationOf(request, waId)

  const freeForm = await send(request, conversation.id, { type: 'text', text: { body: 'Still there?' } })
  expect(freeForm.status()).toBe(422)
  expect((await freeForm.json()).error.code).toBe('service_window_closed')

  const sync = await request.post('/api/templates/sync')
  expect(sync.status(), await sync.text()).toBe(200)
  const { templates } = (await (await request.get('/api/templates')).json()) as { templates: { name: string; status: string }[] }
  expect(templates.find((t) => t.name === 'order_update')?.status).toBe('APPROVED')

  const template = (parameters: string[]) => ({
    type: 'template',
    template: {
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '1042' }] },
      ],
    },
  })
  const missing = await send(request, conversation.id, template(['Emma']))
  expect(missing.status()).toBe(422)
  expect(JSON.stringify(await missing.json())).toContain('body')

  const ok = await send(request, conversation.id, template(['Emma', '#1042']))
  expect(ok.status(), await ok.text()).toBe(202)
  const { message } = (await ok.json()) as { message: { id: string } }
  await expect.poll(() => statusOf(request, conversation.id, message.id), { timeout: 15_000 }).toMatch(/^(delivered|read)$/)
  const sent = await sentByEmulator(request, waId)
  expect(sent.map((s) => s.type)).toEqual(['template'])
})

test('an admin submits a template; Meta approves it and the status webhook updates our copy', async ({ request }) => {
  const name = `e2e_receipt_${randomBytes(3).toString('hex')}`
  const created = await request.post('/api/templates', {
    data: {
      wabaId: DEMO_NUMBER.wabaId,
      template: { name, language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Your receipt {{1}} is ready.', example: { body_text: [['R-7']] } }] },
    },
  })
  expect(created.status(), await created.text()).toBe(201)
  expect((await created.json()).template.status).toBe('PENDING')
  await expect
    .poll(async () => ((await (await request.get('/api/templates')).json()) as { templates: { name: string; status: string }[] }).templates.find((t) => t.name === name)?.status)
    .toBe('APPROVED')

  const invalid = await request.post('/api/templates', {
    data: { wabaId: DEMO_NUMBER.wabaId, template: { name: 'Bad Name', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'x {{1}}' }] } },
  })
  expect(invalid.status()).toBe(422)
  expect((await invalid.json()).error.details).toBeTruthy()
})
