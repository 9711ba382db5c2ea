// Opt-out keywords end to end: Meta webhooks applied by processWebhookEvent (the worker's path) against a
// private database and a Postgres send queue, and the campaign settings route that edits the keywords
// and the price table, with its role checks and another workspace shut out.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_OPT_OUT_SETTINGS } from '@/core/opt-out/opt-out-settings'
import { DEFAULT_PRICE_TABLE } from '@/core/pricing/default-price-table'
import { sendQueueFor, type JobQueue } from '@/core/sending/job-queue'
import type { Role } from '@/core/tenancy/roles'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { processWebhookEvent } from '@/server/whatsapp/process-webhook-event'
import { metaFixture } from './support/fixtures'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { createUser, seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { TEST_ENCRYPTION_KEY, whatsappTenant } from './support/whatsapp-tenant'

const PHONE_NUMBER_ID = '106540352242922'

let t: TestDatabase
let acme: Awaited<ReturnType<typeof whatsappTenant>>
let other: SeededTenant
let queue: JobQueue
let mediaDir: string
let route: { GET: RouteHandler; PUT: RouteHandler }
let acmeSettings: unknown
let seq = 0

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  acme = await whatsappTenant(t.db, 'acme', { wabaId: '104857293847561', numbers: [{ phoneNumberId: PHONE_NUMBER_ID, display: '+1 555-078-3881' }] })
  other = await seedTenant(t.db, 'other')
  queue = createPostgresJobQueue(t.db.sql)
  mediaDir = await mkdtemp(path.join(tmpdir(), 'opt-out-media-'))
  route = (await import('@/app/api/settings/campaigns/route')) as unknown as typeof route
  const [seeded] = await t.db.sql<{ settings: unknown }[]>`select settings from public.tenants where id = ${acme.tenantId}`
  acmeSettings = seeded!.settings
})

// Several tests change acme's settings (keywords, switched off, prices, an unrelated key): every test
// starts from the workspace as seeded, with the default opt-out settings, whatever ran before it.
beforeEach(async () => {
  await t.db.sql`update public.tenants set settings = ${t.db.sql.json(acmeSettings as never)} where id = ${acme.tenantId}`
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true })
})

// Text messages need neither Graph nor storage; they are wired only because processWebhookEvent takes them.
const deps = () => ({
  db: t.db,
  graph: createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v21.0' }),
  storage: createFilesystemStorage(mediaDir),
  encryptionKey: TEST_ENCRYPTION_KEY,
  queue,
})

/** A customer's message from a fixture, re-addressed to `waId`, sent now under a fresh wamid. */
function inbound(waId: string, message: Record<string, unknown>, fixture = '01_text.json') {
  const payload = metaFixture(fixture) as { entry: { changes: { value: { contacts: { wa_id: string }[]; messages: Record<string, unknown>[] } }[] }[] }
  const value = payload.entry[0]!.changes[0]!.value
  value.contacts[0]!.wa_id = waId
  value.messages[0] = { ...value.messages[0], from: waId, id: `wamid.opt-out-${++seq}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }
  return payload
}
const text = (waId: string, body: string) => inbound(waId, { type: 'text', text: { body } })

/** Stores the payload as the webhook route does and applies it as the worker does. */
async function deliver(payload: unknown) {
  const [event] = await t.db.sql<{ id: string }[]>`insert into public.webhook_events (payload) values (${t.db.sql.json(payload as never)}) returning id`
  const outcome = await processWebhookEvent(event!.id, deps())
  expect(outcome?.problems).toEqual([])
  return outcome!
}

const contact = async (waId: string) =>
  (await t.db.sql<{ optedOutAt: Date | null; reason: string | null }[]>`
    select opted_out_at as "optedOutAt", opt_out_reason as reason from public.contacts where tenant_id = ${acme.tenantId} and wa_id = ${waId}`)[0]

const repliesTo = (waId: string) =>
  t.db.sql<{ id: string; body: string; status: string; sentBy: string | null }[]>`
    select m.id, m.content->'text'->>'body' as body, m.status, m.sent_by as "sentBy"
    from public.messages m join public.contacts c on c.id = m.contact_id
    where c.tenant_id = ${acme.tenantId} and c.wa_id = ${waId} and m.direction = 'outbound' order by m.created_at`

/** Opts a new contact out as the setup of a test about what comes next; returns the contact as opted out. */
async function optedOutContact(waId: string) {
  await deliver(text(waId, 'Parar'))
  const state = await contact(waId)
  expect(state).toMatchObject({ optedOutAt: expect.any(Date), reason: 'keyword: Parar' })
  expect(await repliesTo(waId)).toHaveLength(1)
  return state
}

const pendingSends = async () => (await queue.stats(sendQueueFor(PHONE_NUMBER_ID))).pending

async function member(tenant: SeededTenant, role: Role) {
  const user = await createUser(t.db, role)
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenant.tenantId}, ${user.userId}, ${role})`
  return sessionToken(user.claims)
}

async function call(method: 'GET' | 'PUT', token: string, body?: unknown, tenantId = acme.tenantId) {
  const req = new NextRequest('http://localhost/api/settings/campaigns', {
    method,
    headers: { authorization: `Bearer ${token}`, 'x-tenant-id': tenantId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const res = await route[method](req, { params: Promise.resolve({}) })
  return { status: res.status, body: await res.json() }
}

describe('opt-out keywords in inbound messages', () => {
  it('opts the contact out on "Parar" and queues one confirmation, handed to the send queue', async () => {
    const before = await pendingSends()
    const payload = text('5511990000001', ' Parar! ')
    const outcome = await deliver(payload)

    expect(await contact('5511990000001')).toMatchObject({ optedOutAt: expect.any(Date), reason: 'keyword: Parar!' })
    const replies = await repliesTo('5511990000001')
    expect(replies).toEqual([{ id: expect.any(String), body: DEFAULT_OPT_OUT_SETTINGS.confirmation, status: 'pending', sentBy: null }])
    expect(outcome.sends).toEqual([{ id: replies[0]!.id, phoneNumberId: PHONE_NUMBER_ID }])
    expect(await pendingSends()).toBe(before + 1)
    // Other tests opt their own contacts out too: only this contact's entry is this test's.
    const [audit] = await t.db.sql`
      select a.actor_id, a.details from public.audit_log a join public.contacts c on a.target_id = c.id::text
      where a.tenant_id = ${acme.tenantId} and a.action = 'contact.opted_out' and c.wa_id = '5511990000001'`
    expect(audit).toMatchObject({ actor_id: null, details: { keyword: 'PARAR', confirmationId: replies[0]!.id } })

    const again = await deliver(payload)
    expect(again).toMatchObject({ sends: [], counts: { duplicates: 1, messages: 0 } })
    expect(await repliesTo('5511990000001')).toHaveLength(1)
    expect(await pendingSends()).toBe(before + 1)
  })

  it('keeps the first opt-out time and reason when the customer says stop again, and confirms again', async () => {
    const first = await optedOutContact('5511990000006')
    await deliver(text('5511990000006', 'STOP 🙏'))
    expect(await contact('5511990000006')).toEqual(first)
    expect(await repliesTo('5511990000006')).toHaveLength(2)
  })

  it('subscribes the contact again on START, without a reply', async () => {
    await optedOutContact('5511990000007')
    const outcome = await deliver(text('5511990000007', 'start'))
    expect(outcome.sends).toEqual([])
    expect(await contact('5511990000007')).toEqual({ optedOutAt: null, reason: null })
    // Only the opt-out's confirmation: START added no reply.
    expect(await repliesTo('5511990000007')).toHaveLength(1)
  })

  it('leaves the contact alone when the keyword is only part of the message', async () => {
    const outcome = await deliver(text('5511990000002', "please don't stop, I love these offers"))
    expect(outcome.sends).toEqual([])
    expect(await contact('5511990000002')).toEqual({ optedOutAt: null, reason: null })
    expect(await repliesTo('5511990000002')).toEqual([])
  })

  it("uses the tenant's own keywords and confirmation: a removed default no longer works, a quick-reply button does", async () => {
    const admin = await member(acme, 'admin')
    const optOut = { ...DEFAULT_OPT_OUT_SETTINGS, keywords: ['BASTA', 'Stop promotions'], confirmation: 'Feito, não enviaremos mais mensagens.' }
    expect((await call('PUT', admin, { optOut })).status).toBe(200)

    await deliver(text('5511990000003', 'stop'))
    expect(await contact('5511990000003')).toEqual({ optedOutAt: null, reason: null })
    expect(await repliesTo('5511990000003')).toEqual([])

    await deliver(text('5511990000003', 'Basta.'))
    expect(await contact('5511990000003')).toMatchObject({ optedOutAt: expect.any(Date), reason: 'keyword: Basta.' })
    expect((await repliesTo('5511990000003')).map((r) => r.body)).toEqual(['Feito, não enviaremos mais mensagens.'])

    await deliver(inbound('447700900124', {}, '15_button_template_quick_reply.json'))
    expect(await contact('447700900124')).toMatchObject({ reason: 'keyword: Stop promotions' })
    expect(await repliesTo('447700900124')).toHaveLength(1)
  })

  it('does nothing while opt-out keywords are switched off', async () => {
    const admin = await member(acme, 'admin')
    expect((await call('PUT', admin, { optOut: { ...DEFAULT_OPT_OUT_SETTINGS, enabled: false } })).status).toBe(200)
    const outcome = await deliver(text('5511990000004', 'STOP'))
    expect(outcome.sends).toEqual([])
    expect(await contact('5511990000004')).toEqual({ optedOutAt: null, reason: null })
  })

  it('records the opt-out but queues no confirmation for a blocked contact', async () => {
    await deliver(text('5511990000005', 'hello'))
    await t.db.sql`update public.contacts set blocked = true where tenant_id = ${acme.tenantId} and wa_id = '5511990000005'`
    const outcome = await deliver(text('5511990000005', 'sair'))
    expect(outcome.sends).toEqual([])
    expect(await contact('5511990000005')).toMatchObject({ optedOutAt: expect.any(Date), reason: 'keyword: sair' })
    expect(await repliesTo('5511990000005')).toEqual([])
  })
})

describe('the campaign settings route', () => {
  const pricing = { currency: 'BRL', rates: { MARKETING: { default: 0.3, BR: 0.35 }, UTILITY: { default: 0.04 }, AUTHENTICATION: { default: 0.03 } } }
  /** Gives acme prices in BRL, so a refused change (to the default table) would show in the stored currency. */
  const givenBrlPricing = () => t.db.sql`update public.tenants set settings = settings || ${t.db.sql.json({ pricing })} where id = ${acme.tenantId}`

  it('answers every member with the settings, defaults filled in', async () => {
    const agent = await member(other, 'agent')
    expect(await call('GET', agent, undefined, other.tenantId)).toEqual({ status: 200, body: { optOut: DEFAULT_OPT_OUT_SETTINGS, pricing: DEFAULT_PRICE_TABLE } })
  })

  it('lets admins change it, keeping the sections and other settings they did not send', async () => {
    // A section saved before (optOut) and a key outside the campaign settings: the PUT of pricing alone keeps both.
    const saved = { unrelated: { kept: true }, optOut: DEFAULT_OPT_OUT_SETTINGS }
    await t.db.sql`update public.tenants set settings = settings || ${t.db.sql.json(saved)} where id = ${acme.tenantId}`
    const admin = await member(acme, 'admin')
    expect(await call('PUT', admin, { pricing })).toEqual({ status: 200, body: { optOut: DEFAULT_OPT_OUT_SETTINGS, pricing } })
    const [row] = await t.db.sql`select settings from public.tenants where id = ${acme.tenantId}`
    expect(row!.settings).toMatchObject({ unrelated: { kept: true }, pricing, optOut: DEFAULT_OPT_OUT_SETTINGS })
    expect((await call('GET', await member(acme, 'agent'), undefined)).body.pricing).toEqual(pricing)
  })

  it('refuses agents and supervisors', async () => {
    await givenBrlPricing()
    for (const role of ['agent', 'supervisor'] as const)
      expect(await call('PUT', await member(acme, role), { pricing: DEFAULT_PRICE_TABLE })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } })
    const [row] = await t.db.sql`select settings->'pricing'->>'currency' as currency from public.tenants where id = ${acme.tenantId}`
    expect(row!.currency).toBe('BRL')
  })

  it('refuses invalid settings with the failing paths', async () => {
    const admin = await member(acme, 'admin')
    const bad = await call('PUT', admin, { optOut: { ...DEFAULT_OPT_OUT_SETTINGS, keywords: ['x'.repeat(41)] }, pricing: { ...pricing, currency: 'reais' } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['optOut.keywords.0', 'pricing.currency']))
    expect((await call('PUT', admin, {})).status).toBe(422)
    expect((await call('PUT', admin, { optOut: DEFAULT_OPT_OUT_SETTINGS, theme: 'dark' })).status).toBe(422)
  })

  it("shuts another workspace's members out of reading or changing it", async () => {
    await givenBrlPricing()
    const outsider = await sessionToken(other.claims)
    expect((await call('GET', outsider)).status).toBe(403)
    expect((await call('PUT', outsider, { pricing: DEFAULT_PRICE_TABLE })).status).toBe(403)
    const [row] = await t.db.sql`select settings->'pricing'->>'currency' as currency from public.tenants where id = ${acme.tenantId}`
    expect(row!.currency).toBe('BRL')
  })
})
