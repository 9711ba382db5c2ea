// The campaign API through the real route handlers on a private database: drafts and their validation,
// role rules, tenant isolation, list audiences, the review (exclusions, missing values, preview, estimate),
// launching now and at a time through the QStash stand-in, lifecycle actions, funnel, recipients and their
// CSV export, and retargeting. Recipient outcomes are written straight to the rows: no send engine runs.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@upstash/qstash'
import { NextRequest } from 'next/server'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JwtClaims } from '@/core/auth/claims'
import { DEFAULT_PRICE_TABLE } from '@/core/pricing/default-price-table'
import type { Role } from '@/core/tenancy/roles'
import { startQstashStandIn, type QstashStandIn } from '../../dev/qstash/server'
import { signDelivery } from '../../dev/qstash/sign'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { createUser, seedTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const QSTASH_TOKEN = 'campaign-routes-qstash-token'
const CURRENT_KEY = 'sig_current_campaign_routes'
const NEXT_KEY = 'sig_next_campaign_routes'
const START_PATH = '/api/campaigns/start-scheduled'
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding'])

type RouteName = 'campaigns' | 'campaign' | 'actions' | 'audienceList' | 'review' | 'launch' | 'funnel' | 'recipients' | 'exportCsv' | 'retarget' | 'startScheduled'
type Routes = Record<RouteName, Record<string, RouteHandler>>

let t: TestDatabase
let routes: Routes
let qstash: QstashStandIn
let qstashClient: Client
// Stands in for the deployment: QStash delivers to it over HTTP and it hands each call to the route handler.
let app: Server
let appUrl: string
// Each start QStash delivered, by campaign, so a test waits for its own campaign's start only.
const startDeliveries: { campaignId: string; status: number; body: string }[] = []

interface Person {
  claims: JwtClaims
  email: string
  token: string
}

interface Call {
  body?: unknown
  query?: Record<string, string>
  id?: string
}

async function call(route: RouteName, method: string, as: Person, options: Call = {}) {
  const url = new URL('http://localhost/api/campaigns')
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v)
  const req = new NextRequest(url, {
    method,
    headers: { authorization: `Bearer ${as.token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const handler = routes[route][method]
  if (!handler) throw new Error(`${route} has no ${method}`)
  const params: Record<string, string> = options.id ? { id: options.id } : {}
  const res = await handler(req, { params: Promise.resolve(params) })
  const text = await res.text()
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined
  return { status: res.status, body: json, text, headers: res.headers }
}

async function callStart(body: unknown, signature?: string) {
  const raw = JSON.stringify(body)
  const req = new NextRequest(new URL(START_PATH, appUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'upstash-signature': signature } : {}) },
    body: raw,
  })
  const res = await routes.startScheduled.POST!(req, { params: Promise.resolve({}) })
  return { status: res.status, body: await res.json() }
}

async function member(tenantId: string, role: Role): Promise<Person> {
  const user = await createUser(t.db, role)
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenantId}, ${user.userId}, ${role})`
  return { claims: user.claims, email: user.email, token: await sessionToken(user.claims) }
}

interface Workspace {
  tenantId: string
  owner: Person
  accountId: string
  numberId: string
  marketing: string
  utility: string
}

/** A workspace with one number (2 messages a second, room for 2 customers a day) and approved templates. */
async function workspace(label: string): Promise<Workspace> {
  const seeded = await seedTenant(t.db, label)
  // The fixture's own contact and campaign would blur exact counts.
  await t.db.sql`delete from public.campaigns where tenant_id = ${seeded.tenantId}`
  await t.db.sql`delete from public.contacts where tenant_id = ${seeded.tenantId}`
  const [number] = await t.db.sql<{ id: string; accountId: string }[]>`
    update public.whatsapp_numbers set throughput_mps = 2 where tenant_id = ${seeded.tenantId} returning id, account_id as "accountId"`
  await t.db.sql`update public.whatsapp_business_accounts set messaging_limit = 2 where id = ${number!.accountId}`
  const template = async (name: string, category: string, body: string) => {
    const [row] = await t.db.sql<{ id: string }[]>`
      insert into public.templates (tenant_id, account_id, name, language, category, status, components)
      values (${seeded.tenantId}, ${number!.accountId}, ${name}, 'en_US', ${category}, 'APPROVED', ${t.db.sql.json([{ type: 'BODY', text: body }])})
      returning id`
    return row!.id
  }
  return {
    tenantId: seeded.tenantId,
    owner: { claims: seeded.claims, email: seeded.email, token: await sessionToken(seeded.claims) },
    accountId: number!.accountId,
    numberId: number!.id,
    marketing: await template('spring_promo', 'MARKETING', 'Hi {{1}}, your code is {{2}}'),
    utility: await template('order_ready', 'UTILITY', 'Hi {{1}}, your code is {{2}}'),
  }
}

interface Seed {
  wa: string
  name?: string
  tags?: string[]
  fields?: Record<string, string>
  optedOut?: boolean
  blocked?: boolean
  marketingOptedOut?: boolean
}
async function insertContacts(tenantId: string, seeds: Seed[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {}
  for (const s of seeds) {
    const [row] = await t.db.sql<{ id: string }[]>`
      insert into public.contacts (tenant_id, wa_id, name, tags, custom_fields, opted_out_at, blocked, marketing_opted_out_at)
      values (${tenantId}, ${s.wa}, ${s.name ?? null}, ${s.tags ?? []}::text[], ${t.db.sql.json(s.fields ?? {})},
              ${s.optedOut ? new Date() : null}, ${s.blocked ?? false}, ${s.marketingOptedOut ? new Date() : null})
      returning id`
    ids[s.wa] = row!.id
  }
  return ids
}

const variables = (codeFallback?: string) => ({
  'body.1': { kind: 'contact', field: 'first_name', fallback: 'there' },
  'body.2': { kind: 'custom', key: 'code', ...(codeFallback ? { fallback: codeFallback } : {}) },
})

async function createDraft(w: Workspace, as: Person, draft: Record<string, unknown> = {}): Promise<string> {
  const res = await call('campaigns', 'POST', as, {
    body: { name: 'Spring', numberId: w.numberId, templateId: w.marketing, variables: variables('WELCOME'), ...draft },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.campaign.id as string
}

async function launched(w: Workspace, tag: string, name = tag): Promise<string> {
  const id = await createDraft(w, w.owner, { name, audience: { includeTags: [tag] } })
  const res = await call('launch', 'POST', w.owner, { id, body: {} })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return id
}

const statusOf = async (id: string) => (await t.db.sql<{ status: string }[]>`select status from public.campaigns where id = ${id}`)[0]!.status

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

let a: Workspace
let b: Workspace
let supervisor: Person
let admin: Person
let agent: Person

beforeAll(async () => {
  t = await createTestDatabase()
  app = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_HEADERS.has(k)) headers.set(k, v)
      const body = Buffer.concat(chunks).toString('utf8')
      const { campaignId } = JSON.parse(body) as { campaignId: string }
      const forward = new NextRequest(new URL(req.url ?? '/', appUrl), { method: req.method, headers, body })
      void routes.startScheduled.POST!(forward, { params: Promise.resolve({}) })
        .then(async (answer) => {
          const text = await answer.text()
          startDeliveries.push({ campaignId, status: answer.status, body: text })
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text)
        })
        .catch(() => res.writeHead(500).end())
    })
  })
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
  qstash = await startQstashStandIn({ token: QSTASH_TOKEN, currentSigningKey: CURRENT_KEY, nextSigningKey: NEXT_KEY, tickMs: 50, retryBackoffMs: () => 200 })
  qstashClient = new Client({ baseUrl: qstash.url, token: QSTASH_TOKEN, retry: false })
  useRouteEnvironment(t.url, {
    APP_URL: appUrl,
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN,
    QSTASH_CURRENT_SIGNING_KEY: CURRENT_KEY,
    QSTASH_NEXT_SIGNING_KEY: NEXT_KEY,
    QUEUE_DRIVER: 'postgres',
  })
  routes = {
    campaigns: await import('@/app/api/campaigns/route'),
    campaign: await import('@/app/api/campaigns/[id]/route'),
    actions: await import('@/app/api/campaigns/[id]/actions/route'),
    audienceList: await import('@/app/api/campaigns/[id]/audience/list/route'),
    review: await import('@/app/api/campaigns/[id]/review/route'),
    launch: await import('@/app/api/campaigns/[id]/launch/route'),
    funnel: await import('@/app/api/campaigns/[id]/funnel/route'),
    recipients: await import('@/app/api/campaigns/[id]/recipients/route'),
    exportCsv: await import('@/app/api/campaigns/[id]/recipients/export/route'),
    retarget: await import('@/app/api/campaigns/[id]/retarget/route'),
    startScheduled: await import('@/app/api/campaigns/start-scheduled/route'),
  } as unknown as Routes
  a = await workspace('alpha')
  b = await workspace('beta')
  supervisor = await member(a.tenantId, 'supervisor')
  admin = await member(a.tenantId, 'admin')
  agent = await member(a.tenantId, 'agent')
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await qstash?.stop()
  await new Promise((resolve) => app?.close(resolve))
  await t?.drop()
})

describe('drafts', () => {
  beforeAll(async () => {
    await insertContacts(a.tenantId, [{ wa: '5511987650001', name: 'Ana Souza', tags: ['drafts'], fields: { code: 'A1' } }])
  })

  it('supervisors, admins and owners create drafts; an agent is refused', async () => {
    for (const who of [supervisor, admin, a.owner]) {
      const res = await call('campaigns', 'POST', who, { body: { name: `by ${who.email}`, numberId: a.numberId, templateId: a.marketing } })
      expect(res.status).toBe(201)
      expect(res.body.campaign).toMatchObject({ name: `by ${who.email}`, status: 'draft', numberId: a.numberId, templateId: a.marketing, templateName: 'spring_promo' })
    }
    const refused = await call('campaigns', 'POST', agent, { body: { name: 'by an agent' } })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
  })

  it('answers 422 with the failing path for a bad variable key, an unknown operator and a template it may not use', async () => {
    const otherAccount = (
      await t.db.sql<{ id: string }[]>`insert into public.whatsapp_business_accounts (tenant_id, waba_id) values (${a.tenantId}, '900000000000001') returning id`
    )[0]!.id
    const [foreign] = await t.db.sql<{ id: string }[]>`
      insert into public.templates (tenant_id, account_id, name, language, category, status)
      values (${a.tenantId}, ${otherAccount}, 'elsewhere', 'en_US', 'UTILITY', 'APPROVED') returning id`
    const cases: [Record<string, unknown>, string][] = [
      [{ variables: { 'body-1': { kind: 'constant', value: 'x' } } }, 'variables'],
      [{ audience: { fields: [{ key: 'plan', op: 'like', value: 'gold' }] } }, 'audience.fields.0.op'],
      [{ templateId: b.marketing }, 'templateId'],
      [{ templateId: foreign!.id }, 'templateId'],
    ]
    for (const [draft, path] of cases) {
      const res = await call('campaigns', 'POST', a.owner, { body: { name: 'bad', numberId: a.numberId, ...draft } })
      expect(res.status, JSON.stringify(draft)).toBe(422)
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) })
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path)
    }
    expect(
      (await call('campaigns', 'POST', a.owner, { body: { name: 'bad', numberId: a.numberId, templateId: foreign!.id } })).body.error.message,
    ).toMatch(/another WhatsApp account/)
  })

  it('edits and deletes a draft, and refuses both once it runs', async () => {
    const id = await createDraft(a, supervisor, { name: 'Draft one', audience: { includeTags: ['drafts'] } })
    const patched = await call('campaign', 'PATCH', supervisor, { id, body: { name: 'Draft renamed', quietHours: { start: '21:00', end: '08:00' } } })
    expect(patched.status).toBe(200)
    expect(patched.body.campaign).toMatchObject({ name: 'Draft renamed', quietHours: { start: '21:00', end: '08:00' }, status: 'draft' })

    const deletable = await createDraft(a, supervisor, { name: 'Throwaway' })
    expect((await call('campaign', 'DELETE', supervisor, { id: deletable })).status).toBe(200)
    expect((await call('campaign', 'GET', supervisor, { id: deletable })).status).toBe(404)

    expect((await call('launch', 'POST', supervisor, { id, body: {} })).status).toBe(200)
    const refusedPatch = await call('campaign', 'PATCH', supervisor, { id, body: { name: 'Too late' } })
    expect(refusedPatch.status).toBe(409)
    expect(refusedPatch.body.error.code).toBe('conflict')
    expect((await call('campaign', 'DELETE', supervisor, { id })).status).toBe(409)
    expect((await call('campaign', 'GET', supervisor, { id })).body.campaign.name).toBe('Draft renamed')
  })
})

describe('tenant isolation', () => {
  let id: string
  beforeAll(async () => {
    await insertContacts(a.tenantId, [{ wa: '5511987650002', name: 'Isa', tags: ['isolated'], fields: { code: 'I1' } }])
    id = await launched(a, 'isolated', 'Alpha only')
  })

  it("another workspace's member gets 404 for every route of the campaign", async () => {
    const answers = [
      await call('campaign', 'GET', b.owner, { id }),
      await call('campaign', 'PATCH', b.owner, { id, body: { name: 'hijacked' } }),
      await call('campaign', 'DELETE', b.owner, { id }),
      await call('review', 'GET', b.owner, { id }),
      await call('funnel', 'GET', b.owner, { id }),
      await call('recipients', 'GET', b.owner, { id }),
      await call('exportCsv', 'GET', b.owner, { id }),
      await call('actions', 'POST', b.owner, { id, body: { action: 'pause' } }),
      await call('launch', 'POST', b.owner, { id, body: {} }),
      await call('retarget', 'POST', b.owner, { id, body: { segment: 'failed' } }),
      await call('audienceList', 'POST', b.owner, { id, body: { phones: ['+5511987650099'] } }),
    ]
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 404))
    expect(answers[0]!.body.error.code).toBe('not_found')
    expect(await statusOf(id)).toBe('running')
  })

  it("never lists another workspace's campaigns", async () => {
    await createDraft(b, b.owner, { name: 'Beta only' })
    const mine = (await call('campaigns', 'GET', a.owner)).body.campaigns.map((c: { name: string }) => c.name)
    const theirs = (await call('campaigns', 'GET', b.owner)).body.campaigns.map((c: { id: string; name: string }) => c)
    expect(mine).toContain('Alpha only')
    expect(mine).not.toContain('Beta only')
    expect(theirs.map((c: { name: string }) => c.name)).toEqual(['Beta only'])
    expect(theirs.map((c: { id: string }) => c.id)).not.toContain(id)
  })

  it('answers 404 for an id that is no uuid or names no campaign', async () => {
    for (const route of ['campaign', 'review', 'funnel', 'recipients'] as const) {
      const res = await call(route, 'GET', a.owner, { id: 'not-a-uuid' })
      expect(res.status, route).toBe(404)
    }
    expect((await call('actions', 'POST', a.owner, { id: '42', body: { action: 'pause' } })).status).toBe(404)
    expect((await call('recipients', 'GET', a.owner, { id: randomUUID() })).status).toBe(404)
  })
})

describe('list audiences', () => {
  it('adds valid numbers as new contacts, reports invalid ones and ignores contact ids of other workspaces', async () => {
    const known = await insertContacts(a.tenantId, [{ wa: '5511987650010', name: 'Known' }])
    const [outsider] = await t.db.sql<{ id: string }[]>`insert into public.contacts (tenant_id, wa_id) values (${b.tenantId}, '5511987650019') returning id`
    const id = await createDraft(a, a.owner, { name: 'Uploaded', audience: { source: 'list' } })

    const res = await call('audienceList', 'POST', a.owner, {
      id,
      body: {
        phones: ['+55 11 98765-0011', '11 98765-0012', '+5511987650011', '+5511987650010', 'not a phone', '+447700900123', ''],
        contactIds: [known['5511987650010']!, outsider!.id],
        defaultCountry: 'BR',
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ added: 3, invalidCount: 3, listSize: 3 })
    expect(res.body.invalid).toEqual([
      { value: 'not a phone', reason: expect.stringMatching(/not a valid phone number/) },
      { value: '+447700900123', reason: expect.stringMatching(/not a valid phone number/) },
      { value: '', reason: 'Phone number is missing' },
    ])

    const created = await t.db.sql<{ waId: string }[]>`
      select wa_id as "waId" from public.contacts where tenant_id = ${a.tenantId} and wa_id in ('5511987650011', '5511987650012') order by wa_id`
    expect(created.map((c) => c.waId)).toEqual(['5511987650011', '5511987650012'])
    const listed = await t.db.sql<{ tenantId: string }[]>`select distinct ct.tenant_id as "tenantId" from public.campaign_audience_contacts l join public.contacts ct on ct.id = l.contact_id where l.campaign_id = ${id}`
    expect([...listed]).toEqual([{ tenantId: a.tenantId }])

    const again = await call('audienceList', 'POST', a.owner, { id, body: { phones: ['+5511987650011'] } })
    expect(again.body).toMatchObject({ added: 0, invalidCount: 0, listSize: 3 })
    expect((await call('campaign', 'GET', a.owner, { id })).body.campaign.listSize).toBe(3)
    expect((await call('audienceList', 'POST', agent, { id, body: { phones: ['+5511987650013'] } })).status).toBe(403)
  })
})

describe('review and launch', () => {
  let ids: Record<string, string>
  // The reviewed draft: the review tests only read it and its launch is refused, so it stays a draft.
  let id: string
  // The same draft again, for a test that launches it.
  const springDraft = () => createDraft(a, a.owner, { name: 'Spring sale', audience: { includeTags: ['spring'] }, variables: variables() })
  beforeAll(async () => {
    ids = await insertContacts(a.tenantId, [
      { wa: '5511987650101', name: 'Ana Souza', tags: ['spring'], fields: { code: 'A1' } },
      { wa: '14155550102', name: 'Bruno Lima', tags: ['spring'], fields: { code: 'B2' } },
      { wa: '447700900103', name: 'Carla', tags: ['spring'] },
      { wa: '5511987650104', name: 'Opted Out', tags: ['spring'], fields: { code: 'X' }, optedOut: true },
      { wa: '5511987650105', name: 'Blocked', tags: ['spring'], fields: { code: 'X' }, blocked: true },
      { wa: '12345', name: 'Short Number', tags: ['spring'], fields: { code: 'X' } },
      { wa: '5511987650107', name: 'No Marketing', tags: ['spring'], fields: { code: 'X' }, marketingOptedOut: true },
      { wa: '5511987650108', name: 'Not Spring', tags: ['autumn'], fields: { code: 'X' } },
    ])
    id = await springDraft()
  })

  it('counts who is excluded and why, and who lacks a value for an input without fallback', async () => {
    const res = await call('review', 'GET', supervisor, { id, query: { sample: '10' } })
    expect(res.status).toBe(200)
    const { review } = res.body
    expect(review.audience).toEqual({ matched: 7, optedOut: 1, blocked: 1, invalid: 1, marketingOptedOut: 1, eligible: 3 })
    expect(review.unmapped).toEqual([])
    expect(review.missingValues).toEqual([{ key: 'body.2', count: 1 }])
    expect(review.problems).toEqual(['1 recipient has no value for body.2: add a fallback or narrow the audience'])
  })

  it("previews each eligible contact's own values in the body", async () => {
    const { review } = (await call('review', 'GET', a.owner, { id, query: { sample: '10' } })).body
    const byContact = Object.fromEntries(review.preview.map((p: { contactId: string }) => [p.contactId, p]))
    expect(Object.keys(byContact).sort()).toEqual([ids['5511987650101'], ids['14155550102'], ids['447700900103']].sort())
    expect(byContact[ids['5511987650101']!]).toMatchObject({ name: 'Ana Souza', waId: '5511987650101', body: 'Hi Ana, your code is A1', missing: [] })
    expect(byContact[ids['14155550102']!]).toMatchObject({ body: 'Hi Bruno, your code is B2', missing: [] })
    expect(byContact[ids['447700900103']!]).toMatchObject({ missing: ['body.2'] })
  })

  it('estimates the time at the number pace, the days under the messaging limit and the cost in the price table currency', async () => {
    const { estimate } = (await call('review', 'GET', a.owner, { id })).body.review
    const marketing = DEFAULT_PRICE_TABLE.rates.MARKETING
    expect(estimate).toMatchObject({ mps: 2, messagingLimit: 2, remainingToday: 2, seconds: Math.ceil(3 / 2), days: 2 })
    expect(estimate.cost.currency).toBe(DEFAULT_PRICE_TABLE.currency)
    expect(estimate.cost.byCountry).toEqual([
      { country: 'BR', count: 1, rate: marketing.BR, cost: marketing.BR },
      { country: 'GB', count: 1, rate: marketing.GB, cost: marketing.GB },
      { country: 'US', count: 1, rate: marketing.US, cost: marketing.US },
    ])
    expect(estimate.cost.total).toBeCloseTo(marketing.BR! + marketing.GB! + marketing.US!, 6)
  })

  it('counts marketing opt-outs as eligible for a utility template', async () => {
    const utility = await createDraft(a, a.owner, { name: 'Spring notice', templateId: a.utility, audience: { includeTags: ['spring'] } })
    const { review } = (await call('review', 'GET', a.owner, { id: utility })).body
    expect(review.audience).toMatchObject({ marketingOptedOut: 0, eligible: 4 })
    expect(review.estimate.cost.byCountry.find((l: { country: string }) => l.country === 'BR')).toMatchObject({ count: 2, rate: DEFAULT_PRICE_TABLE.rates.UTILITY.BR })
  })

  it('refuses to launch with problems, listing them', async () => {
    const res = await call('launch', 'POST', a.owner, { id, body: {} })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: '', message: '1 recipient has no value for body.2: add a fallback or narrow the audience' }] })
    expect(await statusOf(id)).toBe('draft')
  })

  it('launches now: running, one recipient row per contact, the excluded ones skipped with their reason; a second launch is 409', async () => {
    const id = await springDraft()
    expect((await call('campaign', 'PATCH', a.owner, { id, body: { variables: variables('WELCOME') } })).status).toBe(200)
    expect((await call('launch', 'POST', agent, { id, body: {} })).status).toBe(403)
    const res = await call('launch', 'POST', a.owner, { id, body: {} })
    expect(res.status).toBe(200)
    expect(res.body.campaign).toMatchObject({ status: 'running', total: 7, funnel: { total: 7, waiting: 3, skipped: 4 } })
    expect(res.body.campaign.startedAt).toBeTruthy()

    const rows = await t.db.sql<{ contactId: string; status: string; skipReason: string | null }[]>`
      select contact_id as "contactId", status, skip_reason as "skipReason" from public.campaign_recipients where campaign_id = ${id}`
    const byWa = Object.fromEntries(Object.entries(ids).map(([wa, contactId]) => [wa, rows.filter((r) => r.contactId === contactId)]))
    expect(byWa).toEqual({
      '5511987650101': [{ contactId: ids['5511987650101'], status: 'pending', skipReason: null }],
      '14155550102': [{ contactId: ids['14155550102'], status: 'pending', skipReason: null }],
      '447700900103': [{ contactId: ids['447700900103'], status: 'pending', skipReason: null }],
      '5511987650104': [{ contactId: ids['5511987650104'], status: 'skipped', skipReason: 'opted_out' }],
      '5511987650105': [{ contactId: ids['5511987650105'], status: 'skipped', skipReason: 'blocked' }],
      '12345': [{ contactId: ids['12345'], status: 'skipped', skipReason: 'invalid_number' }],
      '5511987650107': [{ contactId: ids['5511987650107'], status: 'skipped', skipReason: 'marketing_opted_out' }],
      '5511987650108': [],
    })

    const twice = await call('launch', 'POST', a.owner, { id, body: {} })
    expect(twice.status).toBe(409)
    expect(await t.db.sql`select 1 from public.campaign_recipients where campaign_id = ${id}`).toHaveLength(7)
  })
})

describe('scheduled launches through QStash', () => {
  beforeAll(async () => {
    await insertContacts(a.tenantId, [{ wa: '5511987650201', name: 'Later', tags: ['later'], fields: { code: 'L1' } }])
  })

  const scheduleRow = async (id: string) =>
    (await t.db.sql<{ status: string; messageId: string | null; scheduledAt: Date | null }[]>`
      select status, schedule_message_id as "messageId", scheduled_at as "scheduledAt" from public.campaigns where id = ${id}`)[0]!

  it('schedules, ignores unsigned and forged starts, and starts when the signed delivery arrives', async () => {
    const id = await createDraft(a, a.owner, { name: 'Later today', audience: { includeTags: ['later'] } })
    const at = new Date(Math.ceil((Date.now() + 7_000) / 1000) * 1000)
    const res = await call('launch', 'POST', a.owner, { id, body: { scheduledAt: at.toISOString() } })
    expect(res.status).toBe(200)
    expect(res.body.campaign).toMatchObject({ status: 'scheduled', scheduledAt: at.toISOString() })
    const row = await scheduleRow(id)
    expect(row.messageId).toMatch(/^msg_/)
    const message = await qstashClient.messages.get(row.messageId!)
    expect(message.url).toBe(`${appUrl}${START_PATH}`)
    expect(message.notBefore).toBe(at.getTime())
    expect(await t.db.sql`select 1 from public.campaign_recipients where campaign_id = ${id}`).toHaveLength(0)

    const body = { campaignId: id, scheduledAt: at.toISOString() }
    const missing = await callStart(body)
    expect(missing.status).toBe(401)
    const forged = signDelivery({ key: 'sig_forged_not_the_key', url: `${appUrl}${START_PATH}`, body: Buffer.from(JSON.stringify(body)), nowMs: Date.now() })
    expect((await callStart(body, forged)).status).toBe(401)
    // Signed with the real key but for another route: not replayable here.
    const elsewhere = signDelivery({ key: CURRENT_KEY, url: `${appUrl}/api/other`, body: Buffer.from(JSON.stringify(body)), nowMs: Date.now() })
    expect((await callStart(body, elsewhere)).status).toBe(401)
    expect((await scheduleRow(id)).status).toBe('scheduled')

    // The campaign turns `running` inside the handler, before its answer is recorded: wait for the answer.
    const started = await waitFor('the signed start to be answered', async () => startDeliveries.find((d) => d.campaignId === id && d.status === 200))
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime())
    expect(started.body).toBe(JSON.stringify({ started: true }))
    expect(await statusOf(id)).toBe('running')
    expect(await scheduleRow(id)).toMatchObject({ status: 'running', messageId: null })
    expect([...(await t.db.sql`select status from public.campaign_recipients where campaign_id = ${id}`)]).toEqual([{ status: 'pending' }])
  })

  it('cancelling a scheduled campaign deletes its QStash message', async () => {
    const id = await createDraft(a, a.owner, { name: 'Next week', audience: { includeTags: ['later'] } })
    const at = new Date(Date.now() + 3_600_000)
    expect((await call('launch', 'POST', a.owner, { id, body: { scheduledAt: at.toISOString() } })).status).toBe(200)
    const { messageId } = await scheduleRow(id)
    expect((await qstashClient.messages.get(messageId!)).messageId).toBe(messageId)

    const res = await call('actions', 'POST', a.owner, { id, body: { action: 'cancel' } })
    expect(res.status).toBe(200)
    expect(res.body.campaign.status).toBe('cancelled')
    expect(await scheduleRow(id)).toMatchObject({ status: 'cancelled', messageId: null })
    await expect(qstashClient.messages.get(messageId!)).rejects.toMatchObject({ status: 404 })
  })
})

describe('lifecycle actions', () => {
  it('pauses, resumes and cancels, answering 409 for a step the state does not allow and 403 to an agent', async () => {
    await insertContacts(a.tenantId, [{ wa: '5511987650301', name: 'Acted', tags: ['acted'], fields: { code: 'Z' } }])
    const id = await launched(a, 'acted')
    const act = (action: string, as: Person = supervisor) => call('actions', 'POST', as, { id, body: { action } })

    expect((await act('resume')).status).toBe(409)
    expect((await act('pause', agent)).status).toBe(403)
    const paused = await act('pause')
    expect(paused.status).toBe(200)
    expect(paused.body.campaign).toMatchObject({ status: 'paused', pausedReason: `Paused by ${supervisor.email}` })
    expect((await act('pause')).status).toBe(409)
    expect((await act('resume')).body.campaign).toMatchObject({ status: 'running', pausedReason: null })
    const cancelled = await act('cancel')
    expect(cancelled.body.campaign).toMatchObject({ status: 'cancelled', funnel: { waiting: 0, skipped: 1 } })
    for (const action of ['pause', 'resume', 'cancel']) {
      const refused = await act(action)
      expect(refused.status, action).toBe(409)
      expect(refused.body.error.code).toBe('conflict')
    }
    expect((await act('launch')).status).toBe(422)
  })
})

describe('funnel, recipients and export', () => {
  /** A campaign launched to the funnel contacts, with outcomes as the send engine and Meta's webhooks would leave them. */
  async function funnelCampaign(): Promise<string> {
    const id = await launched(a, 'funnel', 'Funnel, "quoted"')
    // The recipient's message, at the step Meta reported last (with Meta's error if it failed), and the
    // recipient's own state: queued once its message exists, replied once the customer answered.
    const outcome = (wa: string, message: Record<string, unknown>, recipient: Record<string, unknown> = { status: 'queued' }) => t.db.sql`
      with ct as (select id from public.contacts where tenant_id = ${a.tenantId} and wa_id = ${wa}),
      cv as (
        insert into public.conversations (tenant_id, number_id, contact_id)
        select ${a.tenantId}, c.number_id, ct.id from ct, public.campaigns c where c.id = ${id}
        on conflict (tenant_id, number_id, contact_id) do update set status = conversations.status
        returning id, number_id, contact_id),
      m as (
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content, campaign_id,
                                     wamid, sent_at, delivered_at, read_at, failed_at, error_code, error_title)
        select ${a.tenantId}, cv.id, cv.number_id, cv.contact_id, 'outbound', 'template', ${message.status as string}, '{}', ${id},
               ${`wamid.funnel.${id}.${wa}`}, ${(message.sent_at as Date) ?? null}, ${(message.delivered_at as Date) ?? null}, ${(message.read_at as Date) ?? null},
               ${(message.failed_at as Date) ?? null}, ${(message.error_code as number) ?? null}, ${(message.error_title as string) ?? null}
        from cv returning id, contact_id)
      update public.campaign_recipients r set ${t.db.sql(recipient)}, message_id = m.id
      from m where r.campaign_id = ${id} and r.contact_id = m.contact_id`
    const now = new Date()
    await outcome('5511987650400', { status: 'sent', sent_at: now })
    await outcome('5511987650401', { status: 'delivered', sent_at: now, delivered_at: now })
    await outcome('5511987650402', { status: 'read', sent_at: now, delivered_at: now, read_at: now })
    // Read receipts off: the reply alone proves the message was delivered and read.
    await outcome('5511987650403', { status: 'delivered', sent_at: now, delivered_at: now }, { status: 'replied', replied_at: now })
    const failed = { status: 'failed', failed_at: now }
    for (const wa of ['5511987650404', '5511987650405']) await outcome(wa, { ...failed, error_code: 131026, error_title: 'Message undeliverable' })
    await outcome('5511987650406', { ...failed, error_code: 131049, error_title: 'This message was not delivered to maintain healthy ecosystem engagement.' })
    return id
  }

  // Read by the funnel, recipient and export tests; a test that changes a campaign launches its own.
  let id: string
  beforeAll(async () => {
    const seeds: Seed[] = Array.from({ length: 9 }, (_, i) => ({ wa: `55119876504${String(i).padStart(2, '0')}`, name: `Reader ${i}`, tags: ['funnel'], fields: { code: 'F' } }))
    seeds[0]!.name = '=cmd'
    seeds.push({ wa: '5511987650499', name: 'Gone', tags: ['funnel'], optedOut: true })
    await insertContacts(a.tenantId, seeds)
    id = await funnelCampaign()
  })

  it('counts the funnel cumulatively and groups failures by code with an explanation', async () => {
    const res = await call('funnel', 'GET', agent, { id })
    expect(res.status).toBe(200)
    const { funnel, failures, skipped, timeline } = res.body.funnel
    expect(funnel).toEqual({ total: 10, waiting: 2, queued: 0, sent: 4, delivered: 3, read: 2, replied: 1, failed: 3, skipped: 1 })
    expect(failures).toEqual([
      { code: 131026, title: 'Message undeliverable', count: 2, explanation: expect.stringMatching(/\w/) },
      { code: 131049, title: expect.any(String), count: 1, explanation: expect.stringMatching(/\w/) },
    ])
    expect(failures[0].explanation).not.toBe(failures[1].explanation)
    expect(skipped).toEqual([{ reason: 'opted_out', count: 1 }])
    expect(timeline.at(-1)).toMatchObject({ sent: 4, delivered: 3, read: 2, replied: 1, failed: 3 })
  })

  it('pages through every recipient once with the cursor and filters by status and error code', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const res = await call('recipients', 'GET', agent, { id, query: { limit: '3', ...(cursor ? { cursor } : {}) } })
      expect(res.status).toBe(200)
      seen.push(...res.body.recipients.map((r: { id: string }) => r.id))
      cursor = res.body.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(4)
    expect(new Set(seen).size).toBe(10)
    expect(seen).toEqual([...seen].sort())

    const failed = (await call('recipients', 'GET', a.owner, { id, query: { status: 'failed' } })).body.recipients
    expect(failed.map((r: { waId: string }) => r.waId).sort()).toEqual(['5511987650404', '5511987650405', '5511987650406'])
    const byCode = (await call('recipients', 'GET', a.owner, { id, query: { errorCode: '131026' } })).body.recipients
    expect(byCode.map((r: { waId: string; errorCode: number }) => [r.waId, r.errorCode]).sort()).toEqual([
      ['5511987650404', 131026],
      ['5511987650405', 131026],
    ])
    const skipped = (await call('recipients', 'GET', a.owner, { id, query: { status: 'skipped' } })).body.recipients
    expect(skipped).toMatchObject([{ name: 'Gone', skipReason: 'opted_out' }])
    expect((await call('recipients', 'GET', a.owner, { id, query: { status: 'lost' } })).status).toBe(422)
  })

  it('exports one CSV line per recipient with a header row and formulas defused', async () => {
    const res = await call('exportCsv', 'GET', agent, { id })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Funnel-quoted-all.csv"')
    const lines = res.text.split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('phone,name,status,error_code,error,skip_reason,sent_at,delivered_at,read_at,replied_at,failed_at')
    expect(lines).toHaveLength(11)
    const rows = Papa.parse<Record<string, string>>(res.text, { header: true, skipEmptyLines: true }).data
    const cmd = rows.find((r) => r.phone === '+5511987650400')!
    expect(cmd).toMatchObject({ name: "'=cmd", status: 'sent' })
    expect(rows.filter((r) => r.error_code === '131026')).toHaveLength(2)

    const onlyFailed = await call('exportCsv', 'GET', a.owner, { id, query: { status: 'failed' } })
    expect(onlyFailed.text.split('\r\n').filter(Boolean)).toHaveLength(4)
  })

  it('retargets only a finished campaign, as a list of the chosen segment', async () => {
    // Cancelling finishes the campaign (its waiting recipients turn skipped): this one is the test's own.
    const id = await funnelCampaign()
    expect((await call('retarget', 'POST', a.owner, { id, body: { segment: 'failed' } })).status).toBe(409)
    expect((await call('actions', 'POST', a.owner, { id, body: { action: 'cancel' } })).status).toBe(200)
    expect((await call('retarget', 'POST', agent, { id, body: { segment: 'failed' } })).status).toBe(403)
    const res = await call('retarget', 'POST', a.owner, { id, body: { segment: 'failed' } })
    expect(res.status).toBe(201)
    expect(res.body.campaign).toMatchObject({
      status: 'draft',
      name: 'Funnel, "quoted" — failed',
      retargetOf: id,
      audience: { source: 'list' },
      listSize: 3,
      numberId: a.numberId,
      templateId: a.marketing,
    })
    const listed = await t.db.sql<{ waId: string }[]>`
      select ct.wa_id as "waId" from public.campaign_audience_contacts l join public.contacts ct on ct.id = l.contact_id
      where l.campaign_id = ${res.body.campaign.id} order by 1`
    expect(listed.map((r) => r.waId)).toEqual(['5511987650404', '5511987650405', '5511987650406'])

    const delivered = await call('retarget', 'POST', a.owner, { id, body: { segment: 'delivered_not_read', name: 'Nudge' } })
    expect(delivered.body.campaign).toMatchObject({ name: 'Nudge', listSize: 1 })
  })
})
