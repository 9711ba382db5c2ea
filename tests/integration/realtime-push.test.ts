// The live inbox and web push against a private database: committed changes reach the workspace's
// event stream (and only that workspace's), rolled-back ones never do; push notifications for a new
// customer message reach the assigned agent's browsers encrypted, and dead subscriptions are dropped.
import { execFileSync } from 'node:child_process'
import { createECDH, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import type http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import ece from 'http_ece'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeSignal } from '@/core/realtime/realtime-event'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { afterCommittedSignals } from './support/committed-signals'
import { seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const VAPID = createECDH('prime256v1')
VAPID.generateKeys()
const PUSH = { subject: 'mailto:push@example.test', publicKey: VAPID.getPublicKey().toString('base64url'), privateKey: VAPID.getPrivateKey().toString('base64url') }

let t: TestDatabase
let alpha: SeededTenant
let beta: SeededTenant

beforeAll(async () => {
  t = await createTestDatabase()
  // The stand-in push service below listens on loopback, which the outbound guard refuses unless allowed.
  useRouteEnvironment(t.url, { OUTBOUND_ALLOW_PRIVATE_HOSTS: '127.0.0.1' })
  alpha = await seedTenant(t.db, 'alpha')
  beta = await seedTenant(t.db, 'beta')
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

async function conversationOf(tenant: SeededTenant) {
  const [row] = await t.db.sql<{ id: string; numberId: string; contactId: string }[]>`
    select id, number_id as "numberId", contact_id as "contactId" from public.conversations where tenant_id = ${tenant.tenantId} limit 1`
  return row!
}

async function insertInbound(tenant: SeededTenant, body = 'hi') {
  const c = await conversationOf(tenant)
  const [row] = await t.db.sql<{ id: string }[]>`
    insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content)
    values (${tenant.tenantId}, ${c.id}, ${c.numberId}, ${c.contactId}, ${`wamid.${randomUUID()}`}, 'inbound', 'text', 'received', ${t.db.sql.json({ body })})
    returning id`
  return { conversationId: c.id, messageId: row!.id }
}

describe('realtime hub', () => {
  it('hears each committed change of its own workspace once, and nothing rolled back or from another workspace', async () => {
    const { subscribeToTenant } = await import('@/server/realtime/realtime-hub')
    const heardA: RealtimeSignal[] = []
    const heardB: RealtimeSignal[] = []
    const stopA = await subscribeToTenant(alpha.tenantId, (s) => heardA.push(s))
    const stopB = await subscribeToTenant(beta.tenantId, (s) => heardB.push(s))

    const inbound = await insertInbound(alpha)
    await t.db.sql`update public.messages set status = 'read' where id = ${inbound.messageId}`
    await t.db.sql`update public.messages set updated_at = now() where id = ${inbound.messageId}` // not a status change
    await t.db.sql`update public.conversations set status = 'pending' where id = ${inbound.conversationId}`
    await t.db.sql
      .begin(async (tx) => {
        await tx`update public.conversations set status = 'resolved' where id = ${inbound.conversationId}`
        throw new Error('roll back')
      })
      .catch(() => {})

    const message = { type: 'messages', tenantId: alpha.tenantId, conversationIds: [inbound.conversationId] }
    const conversation = { type: 'conversation', tenantId: alpha.tenantId, conversationId: inbound.conversationId }
    await expect.poll(() => heardA.length).toBe(3)
    await new Promise((r) => setTimeout(r, 200))
    expect(heardA).toEqual([message, message, conversation])
    expect(heardB).toEqual([])
    stopA()
    stopB()
  })

  it("announces a template's review outcome to its own workspace only, and nothing for other edits", async () => {
    const { subscribeToTenant } = await import('@/server/realtime/realtime-hub')
    const heardA: RealtimeSignal[] = []
    const heardB: RealtimeSignal[] = []
    const stopA = await subscribeToTenant(alpha.tenantId, (s) => heardA.push(s))
    const stopB = await subscribeToTenant(beta.tenantId, (s) => heardB.push(s))

    const [account] = await t.db.sql<{ id: string }[]>`select id from public.whatsapp_business_accounts where tenant_id = ${alpha.tenantId} limit 1`
    const [template] = await t.db.sql<{ id: string }[]>`
      insert into public.templates (tenant_id, account_id, name, language, category)
      values (${alpha.tenantId}, ${account!.id}, ${`review_${randomUUID().slice(0, 8)}`}, 'pt_BR', 'UTILITY') returning id`
    await t.db.sql`update public.templates set updated_at = now() where id = ${template!.id}` // not a review outcome
    await t.db.sql`update public.templates set status = 'REJECTED', rejected_reason = 'INVALID_FORMAT' where id = ${template!.id}`

    const announced = { type: 'template', tenantId: alpha.tenantId, templateId: template!.id }
    await expect.poll(() => heardA.length).toBe(2)
    await new Promise((r) => setTimeout(r, 200))
    expect(heardA).toEqual([announced, announced])
    expect(heardB).toEqual([])
    stopA()
    stopB()
  })

  it('announces a statement that changes many messages once per workspace, with each conversation once', async () => {
    // 250 conversations of alpha's and one of beta's, each with two messages, all moved by one statement.
    const [number] = await t.db.sql<{ id: string }[]>`select number_id as id from public.conversations where tenant_id = ${alpha.tenantId} limit 1`
    const alphaConversations = await t.db.sql<{ id: string }[]>`
      with c as (
        insert into public.contacts (tenant_id, wa_id) select ${alpha.tenantId}, '55219' || lpad(n::text, 8, '0') from generate_series(1, 250) n returning id)
      insert into public.conversations (tenant_id, number_id, contact_id) select ${alpha.tenantId}, ${number!.id}, c.id from c returning id`
    const betaConversation = await conversationOf(beta)
    const all = [...alphaConversations.map((c) => c.id), betaConversation.id]
    const hub = await import('@/server/realtime/realtime-hub')
    const { subscribeToTenant } = hub
    const heardA: RealtimeSignal[] = []
    const heardB: RealtimeSignal[] = []
    const stopA = await subscribeToTenant(alpha.tenantId, (s) => heardA.push(s))
    const stopB = await subscribeToTenant(beta.tenantId, (s) => heardB.push(s))
    // The hub's connection may still be receiving what was committed before (the conversations just
    // inserted): counting starts once all of that has arrived.
    await afterCommittedSignals(t.db.sql, hub, alpha.tenantId)
    heardA.length = heardB.length = 0

    const insertTwo = (tenantId: string) => t.db.sql`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content)
      select cv.tenant_id, cv.id, cv.number_id, cv.contact_id, 'wamid.' || gen_random_uuid(), 'outbound', 'text', 'sent', '{}'
      from public.conversations cv cross join generate_series(1, 2)
      where cv.tenant_id = ${tenantId} and cv.id = any(${all}::uuid[])`
    await insertTwo(alpha.tenantId)
    await insertTwo(beta.tenantId)
    await expect.poll(() => heardA.length + heardB.length).toBe(4)
    heardA.length = heardB.length = 0

    await t.db.sql`update public.messages set status = 'delivered' where conversation_id = any(${all}::uuid[])`
    await expect.poll(() => heardA.length + heardB.length).toBe(4)
    await t.db.sql`update public.messages set updated_at = now() where conversation_id = any(${all}::uuid[])` // no status moved: nothing to say
    await new Promise((r) => setTimeout(r, 200))

    const ids = (signals: RealtimeSignal[]) => signals.flatMap((s) => (s.type === 'messages' ? s.conversationIds : []))
    expect(heardA.map((s) => s.type)).toEqual(['messages', 'messages', 'messages'])
    expect(ids(heardA).sort()).toEqual(alphaConversations.map((c) => c.id).sort())
    expect(heardB).toEqual([{ type: 'messages', tenantId: beta.tenantId, conversationIds: [betaConversation.id] }])
    stopA()
    stopB()
  })
})

describe('realtime hub and media', () => {
  it('announces a message again when its file has been downloaded', async () => {
    const { subscribeToTenant } = await import('@/server/realtime/realtime-hub')
    const heard: RealtimeSignal[] = []
    const stop = await subscribeToTenant(alpha.tenantId, (s) => heard.push(s))
    const inbound = await insertInbound(alpha, '')
    const [media] = await t.db.sql<{ id: string }[]>`
      insert into public.media (tenant_id, message_id, meta_media_id, mime_type) values (${alpha.tenantId}, ${inbound.messageId}, 'm-1', 'image/jpeg') returning id`
    await t.db.sql`update public.media set storage_path = 'x' where id = ${media!.id}` // not a status change
    await t.db.sql`update public.media set status = 'stored' where id = ${media!.id}`
    const message = { type: 'messages', tenantId: alpha.tenantId, conversationIds: [inbound.conversationId] }
    await expect.poll(() => heard.length).toBe(2)
    await new Promise((r) => setTimeout(r, 200))
    expect(heard).toEqual([message, message])
    stop()
  })
})

describe('GET /api/realtime', () => {
  it('streams a member their workspace changes as server-sent events and refuses strangers', async () => {
    const route = (await import('@/app/api/realtime/route')) as { GET: RouteHandler }
    const token = await sessionToken(alpha.claims)
    const abort = new AbortController()
    const request = (headers: Record<string, string>) =>
      route.GET(new NextRequest('http://localhost/api/realtime', { headers, signal: abort.signal }), { params: Promise.resolve({}) })

    expect((await request({})).status).toBe(401)
    expect((await request({ authorization: `Bearer ${token}`, 'x-tenant-id': beta.tenantId })).status).toBe(403)

    const res = await request({ authorization: `Bearer ${token}`, 'x-tenant-id': alpha.tenantId })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    let text = ''
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${needle}`)
        text += new TextDecoder().decode(value)
      }
    }
    await readUntil('event: ready')
    await insertInbound(beta)
    const inbound = await insertInbound(alpha)
    await readUntil(inbound.conversationId)
    const events = text.split('\n').filter((l) => l.startsWith('data: {"type"')).map((l) => JSON.parse(l.slice(6)))
    expect(events).toEqual([{ type: 'messages', tenantId: alpha.tenantId, conversationIds: [inbound.conversationId] }])
    abort.abort()
    await reader.cancel()
  })
})

describe('web push to the assignee', () => {
  interface Received {
    path: string
    headers: http.IncomingHttpHeaders
    body: Buffer
  }
  const received: Received[] = []
  let server: http.Server
  let base: string

  beforeAll(async () => {
    // Stands in for a browser vendor's push service (HTTPS, as they all are, with a certificate this
    // process trusts): /gone answers 410 as for an expired subscription.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'push-tls-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' })
    const cert = readFileSync(path.join(dir, 'cert.pem'))
    https.globalAgent.options.ca = cert
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks) })
        res.writeHead(req.url!.startsWith('/gone') ? 410 : 201).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((r) => server.close(r)))

  it('sends an encrypted notice to each of the assignee’s browsers, none for others, and drops gone subscriptions', async () => {
    const { notifyAssignees } = await import('@/server/push/notify-assignees')
    const browser = createECDH('prime256v1')
    browser.generateKeys()
    const authSecret = randomBytes(16)
    const c = await conversationOf(alpha)
    await t.db.sql`update public.conversations set assignee_id = ${alpha.userId}, last_message_preview = 'Is my order ready?' where id = ${c.id}`
    await t.db.sql`update public.contacts set name = 'Ada Customer' where id = ${c.contactId}`
    await t.db.sql`delete from public.push_subscriptions`
    for (const path of ['/live', '/gone'])
      await t.db.sql`
        insert into public.push_subscriptions (tenant_id, user_id, endpoint, p256dh, auth)
        values (${alpha.tenantId}, ${alpha.userId}, ${`${base}${path}`}, ${browser.getPublicKey().toString('base64url')}, ${authSecret.toString('base64url')})`
    // Beta's conversation is unassigned: its agent gets nothing.
    const b = await conversationOf(beta)
    await t.db.sql`
      insert into public.push_subscriptions (tenant_id, user_id, endpoint, p256dh, auth)
      values (${beta.tenantId}, ${beta.userId}, ${`${base}/beta`}, ${browser.getPublicKey().toString('base64url')}, ${authSecret.toString('base64url')})`


    const result = await notifyAssignees(t.db, PUSH, [
      { tenantId: alpha.tenantId, conversationId: c.id },
      { tenantId: beta.tenantId, conversationId: b.id },
      // A conversation id under the wrong tenant matches nothing.
      { tenantId: beta.tenantId, conversationId: c.id },
    ])
    expect(result).toEqual({ sent: 1, removed: 1 })
    expect(received.map((r) => r.path).sort()).toEqual(['/gone', '/live'])

    const live = received.find((r) => r.path === '/live')!
    expect(live.headers['content-encoding']).toBe('aes128gcm')
    expect(live.headers.ttl).toBe('3600')
    expect(live.headers.urgency).toBe('high')
    expect(live.headers.topic).toBe(c.id.replaceAll('-', ''))
    expect(live.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${PUSH.publicKey}$`))
    expect(live.body.includes(Buffer.from('Ada'))).toBe(false) // encrypted on the wire
    const plain = ece.decrypt(live.body, { version: 'aes128gcm', privateKey: browser, authSecret: authSecret.toString('base64url') })
    expect(JSON.parse(plain.toString())).toEqual({ title: 'Ada Customer', body: 'Is my order ready?', url: `/inbox?conversation=${c.id}`, tag: c.id })

    const left = await t.db.sql<{ endpoint: string; lastSuccessAt: Date | null }[]>`
      select endpoint, last_success_at as "lastSuccessAt" from public.push_subscriptions where tenant_id = ${alpha.tenantId}`
    expect(left).toHaveLength(1)
    expect(left[0]!.endpoint).toBe(`${base}/live`)
    expect(left[0]!.lastSuccessAt).toBeInstanceOf(Date)
  })
})
