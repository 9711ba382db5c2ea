// The CRM through the real route handlers on a private database: list filters, search and keyset
// pages, create/patch validation, role rules, bulk tags, notes, CSV import batches and the CSV export,
// plus RLS isolation of the notes and import tables.
import { randomUUID } from 'node:crypto'
import { NextRequest } from 'next/server'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JwtClaims } from '@/core/auth/claims'
import type { Role } from '@/core/tenancy/roles'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { createUser, seedTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

type Handler = RouteHandler
type Routes = Record<'contacts' | 'contact' | 'notes' | 'note' | 'messages' | 'bulkTags' | 'importBatch' | 'importReport' | 'exportCsv', Record<string, Handler>>

let t: TestDatabase
let routes: Routes

const tokenFor = sessionToken

interface Person {
  claims: JwtClaims
  userId: string
  token: string
}

async function call(handler: Handler | undefined, method: string, as: Person, options: { body?: unknown; query?: Record<string, string>; params?: Record<string, string> } = {}) {
  const url = new URL('http://localhost/api/contacts')
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v)
  const req = new NextRequest(url, {
    method,
    headers: { authorization: `Bearer ${as.token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const res = await handler!(req, { params: Promise.resolve(options.params ?? {}) })
  const text = await res.text()
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined
  return { status: res.status, body: json, text, headers: res.headers }
}

async function workspace(label: string) {
  const owner = await seedTenant(t.db, label)
  // The fixture's own contact would blur exact counts; each test workspace starts empty.
  await t.db.sql`delete from public.contacts where tenant_id = ${owner.tenantId}`
  return { tenantId: owner.tenantId, owner: { ...owner, token: await tokenFor(owner.claims) } }
}

async function member(tenantId: string, role: Role): Promise<Person> {
  const user = await createUser(t.db, role)
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenantId}, ${user.userId}, ${role})`
  return { ...user, token: await tokenFor(user.claims) }
}

interface Seed {
  wa: string
  name?: string
  profile?: string
  email?: string
  tags?: string[]
  fields?: Record<string, string>
  optedOut?: boolean
  blocked?: boolean
}
async function insertContacts(tenantId: string, seeds: Seed[]) {
  const ids: Record<string, string> = {}
  for (const s of seeds) {
    const [row] = await t.db.sql<{ id: string }[]>`
      insert into public.contacts (tenant_id, wa_id, name, profile_name, email, tags, custom_fields, opted_out_at, blocked)
      values (${tenantId}, ${s.wa}, ${s.name ?? null}, ${s.profile ?? null}, ${s.email ?? null}, ${s.tags ?? []}::text[],
              ${t.db.sql.json(s.fields ?? {})}, ${s.optedOut ? new Date() : null}, ${s.blocked ?? false})
      returning id`
    ids[s.wa] = row!.id
  }
  return ids
}

const names = (body: { contacts: { name: string | null }[] }) => body.contacts.map((c) => c.name)

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  routes = {
    contacts: await import('@/app/api/contacts/route'),
    contact: await import('@/app/api/contacts/[id]/route'),
    notes: await import('@/app/api/contacts/[id]/notes/route'),
    note: await import('@/app/api/contacts/[id]/notes/[noteId]/route'),
    messages: await import('@/app/api/contacts/[id]/messages/route'),
    bulkTags: await import('@/app/api/contacts/bulk-tags/route'),
    importBatch: await import('@/app/api/contacts/import/route'),
    importReport: await import('@/app/api/contacts/import/[id]/route'),
    exportCsv: await import('@/app/api/contacts/export/route'),
  } as unknown as Routes
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('listing contacts', () => {
  let w: Awaited<ReturnType<typeof workspace>>
  beforeAll(async () => {
    w = await workspace('list')
    await insertContacts(w.tenantId, [
      { wa: '14155550101', name: 'Ana Souza', email: 'ana@example.test', tags: ['vip', 'lisbon'], fields: { plan: 'gold' } },
      { wa: '14155550102', name: 'Bruno Lima', tags: ['vip'], fields: { plan: 'silver' }, optedOut: true },
      { wa: '14155550103', profile: 'Carla (WhatsApp)', tags: ['lisbon'], blocked: true },
      { wa: '447700900104', name: 'Dave 50%_off', email: 'dave@shop.test' },
      { wa: '5511987650105', name: 'émile', fields: { plan: 'gold', city: 'Porto' } },
    ])
  })

  it('searches names, WhatsApp profile names, emails and phone digits however the number is written', async () => {
    const search = async (q: string) => names((await call(routes.contacts.GET, 'GET', w.owner, { query: { q } })).body)
    expect(await search('souza')).toEqual(['Ana Souza'])
    expect(await search('whatsapp')).toEqual(['Carla (WhatsApp)'])
    expect(await search('shop.test')).toEqual(['Dave 50%_off'])
    expect(await search('+1 (415) 555-0103')).toEqual(['Carla (WhatsApp)'])
    expect(await search('50%')).toEqual(['Dave 50%_off'])
    expect(await search('nobody')).toEqual([])
  })

  it('filters by every given tag, a custom field value, opt-out and block state', async () => {
    const list = async (query: Record<string, string>) => names((await call(routes.contacts.GET, 'GET', w.owner, { query })).body)
    expect(await list({ tags: 'vip' })).toEqual(['Ana Souza', 'Bruno Lima'])
    expect(await list({ tags: 'vip,lisbon' })).toEqual(['Ana Souza'])
    expect(await list({ fieldKey: 'plan', fieldValue: 'gold' })).toEqual(['Ana Souza', 'émile'])
    expect(await list({ fieldKey: 'city' })).toEqual(['émile'])
    expect(await list({ optedOut: 'yes' })).toEqual(['Bruno Lima'])
    expect(await list({ blocked: 'yes' })).toEqual(['Carla (WhatsApp)'])
    expect(await list({ blocked: 'no', optedOut: 'no', tags: 'lisbon' })).toEqual(['Ana Souza'])
  })

  it('walks every contact exactly once in name order with keyset cursors, with the total on the first page', async () => {
    const seen: (string | null)[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const res = await call(routes.contacts.GET, 'GET', w.owner, { query: { limit: '2', ...(cursor ? { cursor } : {}) } })
      expect(res.status).toBe(200)
      if (pages === 0) expect(res.body.total).toEqual({ count: 5, capped: false })
      else expect(res.body.total).toBeUndefined()
      seen.push(...names(res.body))
      cursor = res.body.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(['Ana Souza', 'Bruno Lima', 'Carla (WhatsApp)', 'Dave 50%_off', 'émile'])
  })

  it('answers a bad cursor or filter with a 4xx in the one error shape', async () => {
    const cursor = await call(routes.contacts.GET, 'GET', w.owner, { query: { cursor: 'not-a-cursor' } })
    expect(cursor.status).toBe(400)
    expect(cursor.body.error.code).toBe('bad_request')
    const field = await call(routes.contacts.GET, 'GET', w.owner, { query: { fieldKey: 'Bad Key' } })
    expect(field.status).toBe(422)
    expect(field.body.error.details[0].path).toBe('fieldKey')
    const yesNo = await call(routes.contacts.GET, 'GET', w.owner, { query: { blocked: 'maybe' } })
    expect(yesNo.status).toBe(422)
  })

  it("shows a member of another workspace none of these contacts, and 404 for one of them by id", async () => {
    const other = await workspace('list-other')
    expect((await call(routes.contacts.GET, 'GET', other.owner)).body.contacts).toEqual([])
    const [ana] = await t.db.sql<{ id: string }[]>`select id from public.contacts where tenant_id = ${w.tenantId} and wa_id = '14155550101'`
    expect((await call(routes.contact.GET, 'GET', other.owner, { params: { id: ana!.id } })).status).toBe(404)
  })
})

describe('creating and editing a contact', () => {
  let w: Awaited<ReturnType<typeof workspace>>
  beforeAll(async () => {
    w = await workspace('edit')
  })

  it('stores the phone as E.164 digits and answers a second contact with the same number with 409 and its id', async () => {
    const created = await call(routes.contacts.POST, 'POST', w.owner, { body: { phone: '(415) 555-2671', defaultCountry: 'US', name: 'Ana', tags: ['vip', 'vip'] } })
    expect(created.status).toBe(201)
    expect(created.body.contact).toMatchObject({ waId: '14155552671', name: 'Ana', tags: ['vip'] })
    const again = await call(routes.contacts.POST, 'POST', w.owner, { body: { phone: '+1 415 555 2671' } })
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ code: 'conflict', details: { contactId: created.body.contact.id } })
  })

  it('refuses invalid phones, emails and custom fields with the failing path', async () => {
    const bad = async (body: unknown) => (await call(routes.contacts.POST, 'POST', w.owner, { body })).body.error
    expect(await bad({ phone: '12345' })).toMatchObject({ code: 'validation_failed', details: [{ path: 'phone' }] })
    expect(await bad({ phone: '+1415' })).toMatchObject({ code: 'validation_failed', details: [{ path: 'phone' }] })
    expect(await bad({ phone: '+14155550199', email: 'not-an-email' })).toMatchObject({ code: 'validation_failed', details: [{ path: 'email' }] })
    const key = await bad({ phone: '+14155550199', customFields: { 'Bad Key': 'x' } })
    expect(key.code).toBe('validation_failed')
    expect(key.details[0].path).toBe('customFields.Bad Key')
    expect((await bad({ phone: '+14155550199', customFields: { note: 'x'.repeat(501) } })).details[0].path).toBe('customFields.note')
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'v']))
    expect((await bad({ phone: '+14155550199', customFields: many })).details[0].path).toBe('customFields')
  })

  it('patches fields, blocks, and records opt-out with its reason until the contact opts back in', async () => {
    const { body } = await call(routes.contacts.POST, 'POST', w.owner, { body: { phone: '+14155550111' } })
    const id = body.contact.id
    const patch = (b: unknown) => call(routes.contact.PATCH, 'PATCH', w.owner, { body: b, params: { id } })

    const edited = await patch({ name: 'Bea', email: 'bea@example.test', tags: ['new'], customFields: { plan: 'gold' }, blocked: true })
    expect(edited.status).toBe(200)
    expect(edited.body.contact).toMatchObject({ name: 'Bea', email: 'bea@example.test', tags: ['new'], customFields: { plan: 'gold' }, blocked: true })

    const out = await patch({ optedOut: true, optOutReason: 'Asked by phone' })
    expect(out.body.contact.optedOutAt).not.toBeNull()
    expect(out.body.contact.optOutReason).toBe('Asked by phone')
    const back = await patch({ optedOut: false })
    expect(back.body.contact).toMatchObject({ optedOutAt: null, optOutReason: null })

    expect((await patch({ email: 'nope' })).body.error.details[0].path).toBe('email')
    expect((await patch({})).status).toBe(422)
    expect((await patch({ optedOut: false, optOutReason: 'x' })).body.error.details[0].path).toBe('optOutReason')
    expect((await call(routes.contact.PATCH, 'PATCH', w.owner, { body: { name: 'x' }, params: { id: randomUUID() } })).status).toBe(404)
    expect((await call(routes.contact.GET, 'GET', w.owner, { params: { id: 'not-a-uuid' } })).status).toBe(404)
  })
})

describe('bulk tags', () => {
  it('adds and removes tags on contacts chosen by id, or by the list filter, and counts only changed rows', async () => {
    const w = await workspace('bulk')
    const ids = await insertContacts(w.tenantId, [
      { wa: '14155550201', name: 'A', tags: ['old'] },
      { wa: '14155550202', name: 'B', tags: ['old', 'keep'] },
      { wa: '14155550203', name: 'C', tags: ['keep'], fields: { city: 'Porto' } },
      { wa: '14155550204', name: 'D', fields: { city: 'Porto' } },
    ])
    const byIds = await call(routes.bulkTags.POST, 'POST', w.owner, { body: { contactIds: [ids['14155550201'], ids['14155550202']], add: ['new'], remove: ['old'] } })
    expect(byIds.body).toEqual({ updated: 2 })
    const again = await call(routes.bulkTags.POST, 'POST', w.owner, { body: { contactIds: [ids['14155550201'], ids['14155550202']], add: ['new'], remove: ['old'] } })
    expect(again.body).toEqual({ updated: 0 })

    const byFilter = await call(routes.bulkTags.POST, 'POST', w.owner, { body: { filter: { fieldKey: 'city', fieldValue: 'Porto' }, add: ['porto'] } })
    expect(byFilter.body).toEqual({ updated: 2 })
    const tags = await t.db.sql<{ name: string; tags: string[] }[]>`select name, tags from public.contacts where tenant_id = ${w.tenantId} order by name`
    expect(tags).toEqual([
      { name: 'A', tags: ['new'] },
      { name: 'B', tags: ['keep', 'new'] },
      { name: 'C', tags: ['keep', 'porto'] },
      { name: 'D', tags: ['porto'] },
    ])

    const both = await call(routes.bulkTags.POST, 'POST', w.owner, { body: { contactIds: [ids['14155550201']], filter: {}, add: ['x'] } })
    expect(both.status).toBe(422)
    const tooMany = await call(routes.bulkTags.POST, 'POST', w.owner, { body: { contactIds: Array.from({ length: 1001 }, () => randomUUID()), add: ['x'] } })
    expect(tooMany.body.error.details[0].path).toBe('contactIds')
    // Another workspace's ids change nothing.
    const other = await workspace('bulk-other')
    expect((await call(routes.bulkTags.POST, 'POST', other.owner, { body: { contactIds: Object.values(ids), add: ['hijack'] } })).body).toEqual({ updated: 0 })
  })
})

describe('notes', () => {
  it('lets members add notes, authors delete their own, and only supervisors and above delete anyone’s', async () => {
    const w = await workspace('notes')
    const { id } = Object.values(await insertContacts(w.tenantId, [{ wa: '14155550301', name: 'Noted' }])).map((v) => ({ id: v }))[0]!
    const agent = await member(w.tenantId, 'agent')
    const colleague = await member(w.tenantId, 'agent')
    const supervisor = await member(w.tenantId, 'supervisor')

    const added = await call(routes.notes.POST, 'POST', agent, { body: { body: '  Prefers mornings  ' }, params: { id } })
    expect(added.status).toBe(201)
    expect(added.body.note).toMatchObject({ body: 'Prefers mornings', authorId: agent.userId })
    const second = await call(routes.notes.POST, 'POST', colleague, { body: { body: 'Second' }, params: { id } })
    expect((await call(routes.notes.POST, 'POST', agent, { body: { body: '   ' }, params: { id } })).status).toBe(422)
    expect((await call(routes.notes.POST, 'POST', agent, { body: { body: 'x' }, params: { id: randomUUID() } })).status).toBe(404)

    const listed = await call(routes.notes.GET, 'GET', colleague, { params: { id } })
    expect(listed.body.notes.map((n: { body: string }) => n.body)).toEqual(['Second', 'Prefers mornings'])

    const noteOf = (r: typeof added) => ({ id, noteId: r.body.note.id })
    expect((await call(routes.note.DELETE, 'DELETE', colleague, { params: noteOf(added) })).status).toBe(403)
    expect((await call(routes.note.DELETE, 'DELETE', agent, { params: noteOf(added) })).status).toBe(200)
    expect((await call(routes.note.DELETE, 'DELETE', supervisor, { params: noteOf(second) })).status).toBe(200)
    expect((await call(routes.notes.GET, 'GET', agent, { params: { id } })).body.notes).toEqual([])
  })

  it("keeps tenant B's notes and imports out of tenant A's reach, in the database itself", async () => {
    const a = await workspace('rls-a')
    const b = await workspace('rls-b')
    const bContact = Object.values(await insertContacts(b.tenantId, [{ wa: '14155550401', name: 'B customer' }]))[0]!
    await call(routes.notes.POST, 'POST', b.owner, { body: { body: 'B only' }, params: { id: bContact } })
    const importId = randomUUID()
    await call(routes.importBatch.POST, 'POST', b.owner, { body: { importId, rows: [{ row: 2, phone: '+14155550402' }] } })

    const asA = <T>(fn: Parameters<typeof t.db.withUser<T>>[1]) => t.db.withUser(a.owner.claims, fn)
    expect(await asA((tx) => tx`select * from public.contact_notes where tenant_id <> ${a.tenantId}`)).toHaveLength(0)
    expect(await asA((tx) => tx`select * from public.contact_imports where tenant_id <> ${a.tenantId}`)).toHaveLength(0)
    expect(await asA((tx) => tx`select * from public.contact_import_keys where tenant_id <> ${a.tenantId}`)).toHaveLength(0)
    // One at a time: a refusal must be awaited as it happens, not left pending beside another.
    const writes = [
      () => asA((tx) => tx`insert into public.contact_notes (tenant_id, contact_id, author_id, body) values (${b.tenantId}, ${bContact}, ${a.owner.userId}, 'x')`),
      () => asA((tx) => tx`insert into public.contact_imports (tenant_id, created_by) values (${b.tenantId}, ${a.owner.userId})`),
      () => asA((tx) => tx`insert into public.contact_import_keys (tenant_id, import_id, wa_id) values (${b.tenantId}, ${importId}, '14155550499')`),
    ]
    for (const write of writes) await expect(write()).rejects.toMatchObject({ code: '42501' })
    expect((await asA((tx) => tx`delete from public.contact_notes where tenant_id = ${b.tenantId}`)).count).toBe(0)
    expect((await asA((tx) => tx`update public.contact_imports set processed_rows = 0 where tenant_id = ${b.tenantId}`)).count).toBe(0)

    // And through the API: B's note list, import report and import id are as good as unknown to A.
    expect((await call(routes.notes.GET, 'GET', a.owner, { params: { id: bContact } })).body.notes).toEqual([])
    expect((await call(routes.notes.POST, 'POST', a.owner, { body: { body: 'x' }, params: { id: bContact } })).status).toBe(404)
    expect((await call(routes.importReport.GET, 'GET', a.owner, { params: { id: importId } })).status).toBe(404)
    expect((await call(routes.importBatch.POST, 'POST', a.owner, { body: { importId, rows: [{ row: 3, phone: '+14155550403' }] } })).status).toBe(404)
    const [{ n }] = (await t.db.sql`select count(*)::int as n from public.contact_notes where tenant_id = ${b.tenantId}`) as unknown as [{ n: number }]
    expect(n).toBe(1)
  })
})

describe('CSV import', () => {
  it('creates, merges and rejects rows with exact counts and 1-based line numbers, across batches and retries', async () => {
    const w = await workspace('import')
    await insertContacts(w.tenantId, [{ wa: '14155550501', name: 'Existing', tags: ['old'], fields: { plan: 'gold' } }])
    const importId = randomUUID()
    const batch = (rows: unknown[], extra: Record<string, unknown> = {}) =>
      call(routes.importBatch.POST, 'POST', w.owner, { body: { importId, fileName: 'people.csv', totalRows: 9, defaultCountry: 'US', rows, ...extra } })

    const first = await batch([
      { row: 2, phone: '+1 415 555 0502', name: 'New One', email: 'one@example.test', tags: 'a; b', fields: { city: 'Porto' } },
      { row: 3, phone: '(415) 555-0501', name: '', tags: 'new', fields: { city: 'Lisbon' } },
      { row: 4, phone: '12', name: 'Short' },
      { row: 5, phone: '', name: 'No phone' },
      { row: 6, phone: '+14155550503', email: 'not-an-email' },
      { row: 7, phone: '415.555.0502', name: 'Repeat in batch' },
      { row: 8, phone: '+14155550504', fields: { 'Bad Key': 'x' } },
    ])
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ created: 1, updated: 1, duplicates: 1 })
    expect(first.body.rejected.map((r: { row: number }) => r.row)).toEqual([4, 5, 6, 8])
    const reasons = first.body.rejected.map((r: { reason: string }) => r.reason)
    expect(reasons[0]).toMatch(/not a valid phone number/)
    expect(reasons[1]).toBe('Phone number is missing')
    expect(reasons[2]).toMatch(/email/i)
    expect(reasons[3]).toMatch(/"Bad Key" is not a valid custom field name/)

    // A retry of the same batch (its response was lost) changes nothing.
    const retry = await batch([{ row: 2, phone: '+14155550502' }, { row: 8, phone: '+14155550504' }])
    expect(retry.body).toMatchObject({ created: 0, updated: 0, duplicates: 0, rejected: [] })

    const last = await batch([{ row: 9, phone: '4155550502', name: 'Repeat from batch one' }, { row: 10, phone: '+447700900123', name: 'London' }], { final: true })
    expect(last.body).toMatchObject({ created: 0, updated: 0, duplicates: 1, rejected: [{ row: 10 }] })
    expect(last.body.import).toMatchObject({ status: 'completed', processedRows: 9, createdCount: 1, updatedCount: 1, duplicateCount: 2, rejectedCount: 5 })
    // The phones remembered for duplicate detection go once the last batch is in.
    expect(await t.db.sql`select 1 from public.contact_import_keys where import_id = ${importId}`).toHaveLength(0)

    const contacts = await t.db.sql`select wa_id, name, email, tags, custom_fields from public.contacts where tenant_id = ${w.tenantId} order by wa_id`
    expect(contacts).toEqual([
      { wa_id: '14155550501', name: 'Existing', email: null, tags: ['new', 'old'], custom_fields: { plan: 'gold', city: 'Lisbon' } },
      { wa_id: '14155550502', name: 'New One', email: 'one@example.test', tags: ['a', 'b'], custom_fields: { city: 'Porto' } },
    ])

    const report = await call(routes.importReport.GET, 'GET', w.owner, { params: { id: importId } })
    expect(report.body.import.rejected.map((r: { row: number }) => r.row)).toEqual([4, 5, 6, 8, 10])
    expect((await batch([{ row: 11, phone: '+14155550505' }])).status).toBe(409)
  })

  it('keeps the first 1,000 rejected rows with the report and counts every one', async () => {
    const w = await workspace('import-cap')
    const importId = randomUUID()
    const bad = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ row: from + i, phone: 'x' }))
    await call(routes.importBatch.POST, 'POST', w.owner, { body: { importId, rows: bad(2, 1000) } })
    const last = await call(routes.importBatch.POST, 'POST', w.owner, { body: { importId, rows: bad(1002, 5), final: true } })
    expect(last.body.rejected).toHaveLength(5)
    expect(last.body.import.rejectedCount).toBe(1005)
    expect(last.body.import.rejected).toHaveLength(1000)
    expect(last.body.import.rejected.at(-1).row).toBe(1001)
  })

  it('refuses a malformed batch as a whole with 422, and more than 1,000 rows', async () => {
    const w = await workspace('import-bad')
    const res = await call(routes.importBatch.POST, 'POST', w.owner, { body: { importId: 'x', rows: [] } })
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].path).toBe('importId')
    const big = await call(routes.importBatch.POST, 'POST', w.owner, {
      body: { importId: randomUUID(), rows: Array.from({ length: 1001 }, (_, i) => ({ row: i + 2, phone: '+14155550000' })) },
    })
    expect(big.body.error.details[0].path).toBe('rows')
  })
})

describe('CSV export', () => {
  it('escapes commas, quotes and newlines, neutralises formulas, and keeps the filter', async () => {
    const w = await workspace('export')
    await insertContacts(w.tenantId, [
      { wa: '14155550601', name: '=HYPERLINK("http://evil.test","click")', email: 'a@example.test', tags: ['vip'], fields: { note: 'line one\nline "two"', city: '+cmd' } },
      { wa: '14155550602', name: 'Smith, "Jr"', tags: ['vip', 'b2b'], optedOut: true, blocked: true, fields: { formula: '@SUM(A1)' } },
      { wa: '14155550603', name: '-2+3', tags: ['other'] },
    ])
    const res = await call(routes.exportCsv.GET, 'GET', w.owner, { query: { tags: 'vip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="contacts-/)
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.test"",""click"")"')
    const parsed = Papa.parse<Record<string, string>>(res.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
    expect(parsed.meta.fields).toEqual(['phone', 'name', 'email', 'tags', 'opted_out', 'blocked', 'city', 'formula', 'note'])
    expect(parsed.data.sort((x, y) => x.phone!.localeCompare(y.phone!))).toEqual([
      {
        phone: '+14155550601',
        name: `'=HYPERLINK("http://evil.test","click")`,
        email: 'a@example.test',
        tags: 'vip',
        opted_out: 'no',
        blocked: 'no',
        city: "'+cmd",
        formula: '',
        note: 'line one\nline "two"',
      },
      { phone: '+14155550602', name: 'Smith, "Jr"', email: '', tags: 'vip, b2b', opted_out: 'yes', blocked: 'yes', city: '', formula: "'@SUM(A1)", note: '' },
    ])
    const all = Papa.parse<Record<string, string>>((await call(routes.exportCsv.GET, 'GET', w.owner)).text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
    expect(all.data.map((r) => r.name)).toContain("'-2+3")
  })

  it('streams more than one page', async () => {
    const w = await workspace('export-big')
    await t.db.sql`
      insert into public.contacts (tenant_id, wa_id, name)
      select ${w.tenantId}, (14155000000 + g)::text, 'Person ' || lpad(g::text, 5, '0') from generate_series(1, 2500) g`
    const res = await call(routes.exportCsv.GET, 'GET', w.owner)
    const rows = Papa.parse<Record<string, string>>(res.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data
    expect(rows).toHaveLength(2500)
    expect(new Set(rows.map((r) => r.phone)).size).toBe(2500)
  })
})

describe('conversation history', () => {
  it("lists a contact's messages across conversations and numbers, newest first, page by page", async () => {
    const w = await workspace('history')
    const [contact] = await t.db.sql<{ id: string }[]>`insert into public.contacts (tenant_id, wa_id, name) values (${w.tenantId}, '14155550701', 'Talker') returning id`
    const numbers = await t.db.sql<{ id: string }[]>`select id from public.whatsapp_numbers where tenant_id = ${w.tenantId}`
    const [account] = await t.db.sql<{ id: string }[]>`select id from public.whatsapp_business_accounts where tenant_id = ${w.tenantId}`
    const [second] = await t.db.sql<{ id: string }[]>`
      insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, access_token_ciphertext) values (${w.tenantId}, ${account!.id}, '99887766', 'v1.x.y.z') returning id`
    for (const [i, numberId] of [numbers[0]!.id, second!.id].entries()) {
      const [conv] = await t.db.sql<{ id: string }[]>`
        insert into public.conversations (tenant_id, number_id, contact_id) values (${w.tenantId}, ${numberId}, ${contact!.id}) returning id`
      for (let m = 0; m < 3; m++)
        await t.db.sql`
          insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content, "timestamp")
          values (${w.tenantId}, ${conv!.id}, ${numberId}, ${contact!.id}, ${m % 2 ? 'outbound' : 'inbound'}, 'text', 'delivered',
                  ${t.db.sql.json({ text: `message ${i}-${m}` })}, now() - make_interval(mins => ${60 - i * 3 - m}))`
    }
    const first = await call(routes.messages.GET, 'GET', w.owner, { query: { limit: '4' }, params: { id: contact!.id } })
    expect(first.body.messages.map((m: { preview: string }) => m.preview)).toEqual(['message 1-2', 'message 1-1', 'message 1-0', 'message 0-2'])
    const rest = await call(routes.messages.GET, 'GET', w.owner, { query: { limit: '4', cursor: first.body.nextCursor }, params: { id: contact!.id } })
    expect(rest.body.messages.map((m: { preview: string }) => m.preview)).toEqual(['message 0-1', 'message 0-0'])
    expect(rest.body.nextCursor).toBeNull()
    expect(new Set([...first.body.messages, ...rest.body.messages].map((m: { conversationId: string }) => m.conversationId)).size).toBe(2)
  })
})
