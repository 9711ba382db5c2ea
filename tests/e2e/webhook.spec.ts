import { randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { DEMO } from './support/accounts'
import { appSecret, signed, textWebhook, verifyToken } from './support/meta'

const URL_PATH = '/api/whatsapp/webhook'
const uniqueWamid = () => `wamid.e2e.${randomBytes(8).toString('hex')}`

async function demoConversations(request: APIRequestContext) {
  await request.post('/api/auth/login', { data: DEMO })
  return (await (await request.get('/api/conversations?limit=100')).json()).conversations as { contactWaId: string; lastMessagePreview: string }[]
}

test.describe('Meta webhook endpoint', () => {
  test('answers the subscription handshake only with the right verify token', async ({ request }) => {
    const ok = await request.get(`${URL_PATH}?hub.mode=subscribe&hub.verify_token=${verifyToken()}&hub.challenge=1158201444`)
    expect(ok.status()).toBe(200)
    expect(await ok.text()).toBe('1158201444')
    expect((await request.get(`${URL_PATH}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status()).toBe(403)
    expect((await request.get(`${URL_PATH}?hub.mode=unsubscribe&hub.verify_token=${verifyToken()}&hub.challenge=1`)).status()).toBe(403)
  })

  test('stores a signed payload and shows the message in the inbox; a replay changes nothing', async ({ request }) => {
    const from = `55119${Date.now() % 100_000_000}`
    const body = textWebhook(from, uniqueWamid(), 'Is the store open on Sunday?', 'Webhook Wendy')
    expect((await request.post(URL_PATH, { data: Buffer.from(body), headers: signed(body) })).status()).toBe(200)
    await expect.poll(async () => (await demoConversations(request)).find((c) => c.contactWaId === from)?.lastMessagePreview).toContain('Is the store open on Sunday?')
    // Meta retries deliveries: the identical payload again is accepted and stays one message.
    expect((await request.post(URL_PATH, { data: Buffer.from(body), headers: signed(body) })).status()).toBe(200)
    const conversationId = await (async () => {
      const res = await request.get('/api/conversations?limit=100')
      return (await res.json()).conversations.find((c: { contactWaId: string }) => c.contactWaId === from).id as string
    })()
    await expect.poll(async () => (await (await request.get(`/api/conversations/${conversationId}/messages`)).json()).messages.length).toBe(1)
  })

  test('refuses a missing, wrong or foreign signature and a body changed by one byte, storing nothing', async ({ request }) => {
    const from = `55118${Date.now() % 100_000_000}`
    const body = textWebhook(from, uniqueWamid(), 'forged')
    const good = signed(body)
    const tampered = body.replace('forged', 'forgeD')
    const attempts = [
      { headers: { 'content-type': 'application/json' }, data: body },
      { headers: { ...good, 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, data: body },
      { headers: signed(body, 'not-the-app-secret'), data: body },
      { headers: { ...good, 'x-hub-signature-256': good['x-hub-signature-256'].replace('sha256=', 'sha1=') }, data: body },
      { headers: good, data: tampered },
    ]
    for (const a of attempts) {
      const res = await request.post(URL_PATH, { data: Buffer.from(a.data), headers: a.headers })
      expect(res.status()).toBe(401)
      expect((await res.json()).error.code).toBe('unauthenticated')
    }
    await new Promise((r) => setTimeout(r, 500))
    expect((await demoConversations(request)).find((c) => c.contactWaId === from)).toBeUndefined()
  })

  test('answers malformed JSON with 400 and an oversized body with 413', async ({ request }) => {
    const broken = '{"object":"whatsapp_business_account","entry":['
    const res = await request.post(URL_PATH, { data: Buffer.from(broken), headers: signed(broken) })
    expect(res.status()).toBe(400)
    const huge = JSON.stringify({ object: 'whatsapp_business_account', padding: 'x'.repeat(3_100_000) })
    expect((await request.post(URL_PATH, { data: Buffer.from(huge), headers: signed(huge) })).status()).toBe(413)
  })

  test('never answers 500 to randomly mutated, validly signed payloads', async ({ request }) => {
    const secret = appSecret()
    let seed = 42
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const junk = [null, 0, -1, 1e308, '', 'x'.repeat(1000), [], {}, true, '💥', { nested: { deeper: [1, { x: null }] } }]
    const mutate = (value: unknown, depth = 0): unknown => {
      if (Array.isArray(value)) return random() < 0.1 ? junk[Math.floor(random() * junk.length)] : value.map((v) => mutate(v, depth + 1))
      if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value)) {
          const r = random()
          if (r < 0.08) continue
          out[k] = r < 0.16 ? junk[Math.floor(random() * junk.length)] : mutate(v, depth + 1)
        }
        return out
      }
      return random() < 0.1 ? junk[Math.floor(random() * junk.length)] : value
    }
    const statuses = new Map<number, number>()
    for (let i = 0; i < 150; i++) {
      const base = JSON.parse(textWebhook(`5511${7000000 + i}`, uniqueWamid(), `fuzz ${i}`))
      const body = JSON.stringify(mutate(base))
      const res = await request.post(URL_PATH, { data: Buffer.from(body), headers: signed(body, secret) })
      statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1)
    }
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([])
    // And the app is still healthy afterwards.
    expect((await request.get('/api/health')).status()).toBe(200)
  })
})
