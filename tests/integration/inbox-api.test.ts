import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { JwtClaims } from '@/core/auth/claims'
import { readDashboard } from '@/core/dashboard/read-dashboard'
import { AppError } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { addNote, addNoteInput } from '@/core/inbox/add-note'
import { conversationIdParam } from '@/core/inbox/conversation-id-param'
import { getConversation } from '@/core/inbox/get-conversation'
import { listConversations, listConversationsQuery, RARE_TAG_CAP } from '@/core/inbox/list-conversations'
import { listMessages, listMessagesQuery } from '@/core/inbox/list-messages'
import { markConversationRead } from '@/core/inbox/mark-conversation-read'
import { updateConversation, updateConversationInput } from '@/core/inbox/update-conversation'
import type { Role } from '@/core/tenancy/roles'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import type { Db, Tx } from '@/server/db/create-db'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { sweepStragglers } from '@/server/whatsapp/sweep-stragglers'
import { createUser } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { TEST_ENCRYPTION_KEY, whatsappTenant } from './support/whatsapp-tenant'

type Tenant = Awaited<ReturnType<typeof whatsappTenant>>
interface Member {
  userId: string
  claims: JwtClaims
  role: Role
  name: string
}

interface Workspace {
  tenant: Tenant
  owner: Member
  supervisor: Member
  agent: Member
}

let t: TestDatabase
let a: Tenant
let b: Tenant
let owner: Member
let supervisor: Member
let agent: Member
let outsider: Member

async function addMember(db: Db, tenantId: string, role: Role, name: string): Promise<Member> {
  const user = await createUser(db, name.toLowerCase().replace(/\W+/g, '-'))
  await db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenantId}, ${user.userId}, ${role})`
  await db.sql`insert into public.profiles (id, email, full_name) values (${user.userId}, ${user.email}, ${name})`
  return { userId: user.userId, claims: user.claims, role, name }
}

// A workspace with a team of three. The members' names are the same in every workspace, so the
// assertions on them read alike whichever workspace a test uses.
async function staffedWorkspace(label: string, account: Parameters<typeof whatsappTenant>[2]): Promise<Workspace> {
  const tenant = await whatsappTenant(t.db, label, account)
  return {
    tenant,
    owner: { userId: tenant.userId, claims: tenant.claims, role: 'owner', name: `${label} owner` },
    supervisor: await addMember(t.db, tenant.tenantId, 'supervisor', 'Sam Supervisor'),
    agent: await addMember(t.db, tenant.tenantId, 'agent', 'Ana Agent'),
  }
}

// An account with one number. WhatsApp ids are unique across workspaces, so each workspace of this
// file takes its own series.
const oneNumber = (series: number) => ({
  wabaId: `${series}04857293847561`,
  numbers: [{ phoneNumberId: `${series}06540352242922`, display: `+1 555-0${series}0-0001` }],
})

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000)

async function conversation(
  tenant: Tenant,
  c: { name?: string | null; profileName?: string; waId: string; number: number; status?: string; assigneeId?: string | null; tags?: string[]; unread?: number; at: Date; windowEnd?: Date | null },
) {
  const numberId = Object.values(tenant.numbers)[c.number]!
  const [contact] = await t.db.sql<{ id: string }[]>`
    insert into public.contacts (tenant_id, wa_id, name, profile_name) values (${tenant.tenantId}, ${c.waId}, ${c.name ?? null}, ${c.profileName ?? null}) returning id`
  const [row] = await t.db.sql<{ id: string }[]>`
    insert into public.conversations (tenant_id, number_id, contact_id, status, assignee_id, tags, unread_count, last_message_at,
                                      last_message_preview, service_window_expires_at)
    values (${tenant.tenantId}, ${numberId}, ${contact!.id}, ${c.status ?? 'open'}, ${c.assigneeId ?? null}, ${c.tags ?? []}::text[],
            ${c.unread ?? 0}, ${c.at}, ${`preview of ${c.waId}`}, ${c.windowEnd ?? null})
    returning id`
  return { id: row!.id, contactId: contact!.id, waId: c.waId, numberId, tenant }
}
type Conv = Awaited<ReturnType<typeof conversation>>

// A conversation of its own for a test that changes one: open, unassigned, tagged, with unread
// messages and an open service window, like Mariana's. Each call is a new contact.
let customers = 0
const openConversation = (tenant: Tenant) =>
  conversation(tenant, {
    name: 'Carla Customer', waId: String(5511980000000 + ++customers), number: 0, tags: ['vip'], unread: 2, at: minutesAgo(10),
    windowEnd: new Date(Date.now() + 3_600_000),
  })

async function message(
  conv: Conv,
  m: { direction: 'inbound' | 'outbound'; type: string; content: object; at: Date; wamid?: string; status?: string; sentBy?: string; replyTo?: string },
) {
  const [row] = await t.db.sql<{ id: string }[]>`
    insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, "timestamp",
                                 sent_by, reply_to_wamid)
    values (${conv.tenant.tenantId}, ${conv.id}, ${conv.numberId}, ${conv.contactId}, ${m.wamid ?? null}, ${m.direction}, ${m.type},
            ${m.status ?? (m.direction === 'inbound' ? 'received' : 'sent')}, ${t.db.sql.json(m.content as never)}, ${m.at},
            ${m.sentBy ?? null}, ${m.replyTo ?? null})
    returning id`
  return row!.id
}

const as = <T>(member: { claims: JwtClaims }, fn: (tx: Tx) => Promise<T>) => t.db.withUser(member.claims, fn)
const list = (member: Member, query: Record<string, string>, tenantId = a.tenantId) =>
  t.db.withUser(member.claims, (tx) => listConversations(tx, tenantId, member.userId, listConversationsQuery.parse(query)))
const ids = (page: { conversations: { id: string }[] }) => page.conversations.map((c) => c.id)
const update = (member: Member, id: string, body: unknown, tenantId = a.tenantId) =>
  t.db.withUser(member.claims, (tx) =>
    updateConversation(tx, { tenantId, userId: member.userId, role: member.role }, id, parseInput(updateConversationInput, body)),
  )

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as AppError
  }
  throw new Error('expected an error')
}

let mariana: Conv, joao: Conv, acme: Conv, zed: Conv, bConv: Conv
let marianaText: string, joaoImage: string

// The fixture every test reads: workspace A with four conversations, and workspace B. No test may
// change it: the list, search and detail tests assert on all of workspace A. A test that writes
// does so in a workspace of its own.
beforeAll(async () => {
  t = await createTestDatabase()
  ;({ tenant: a, owner, supervisor, agent } = await staffedWorkspace('acme', {
    wabaId: '204857293847561',
    numbers: [{ phoneNumberId: '206540352242922', display: '+1 555-010-0001' }, { phoneNumberId: '206540352242923', display: '+1 555-010-0002' }],
  }))
  b = await whatsappTenant(t.db, 'bolt', { wabaId: '209283746501928', numbers: [{ phoneNumberId: '210293847560192', display: '+44 7700 900000' }] })
  outsider = { userId: b.userId, claims: b.claims, role: 'owner', name: 'bolt owner' }

  mariana = await conversation(a, { name: 'Mariana Souza', profileName: 'Mari', waId: '5511987654321', number: 0, tags: ['vip'], unread: 2, at: minutesAgo(10), windowEnd: new Date(Date.now() + 3_600_000) })
  joao = await conversation(a, { profileName: 'João Pedro', waId: '5521912345678', number: 0, status: 'pending', assigneeId: agent.userId, at: minutesAgo(20) })
  acme = await conversation(a, { name: 'Acme Corp', waId: '14155550123', number: 1, status: 'resolved', assigneeId: supervisor.userId, tags: ['vip', 'billing'], at: minutesAgo(30) })
  zed = await conversation(a, { name: 'Zed', waId: '447700900123', number: 1, status: 'closed', assigneeId: agent.userId, unread: 1, at: minutesAgo(40) })
  marianaText = await message(mariana, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'Olá! Vocês entregam no sábado?' }, at: minutesAgo(12), wamid: 'wamid.mariana.1' })
  joaoImage = await message(joao, {
    direction: 'outbound', type: 'image', content: { type: 'image', to: '5521912345678', image: { id: '123', caption: 'Catálogo de verão' } },
    at: minutesAgo(21), sentBy: agent.userId,
  })
  await message(acme, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'Invoice 8841 is overdue' }, at: minutesAgo(31), wamid: 'wamid.acme.1' })
  await message(zed, { direction: 'outbound', type: 'text', content: { type: 'text', text: { body: 'Your refund is on its way' } }, at: minutesAgo(41), sentBy: owner.userId })

  bConv = await conversation(b, { name: 'Mariana Other', waId: '5511900000001', number: 0, at: minutesAgo(5) })
  await message(bConv, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'Vocês entregam hoje? Invoice 8841' }, at: minutesAgo(5), wamid: 'wamid.bolt.1' })
})
afterAll(() => t.drop())

describe('conversation list', () => {
  it('lists the workspace newest first with the summary fields', async () => {
    const page = await list(agent, {})
    // The first row is the workspace's seeded conversation, whose last message is "now".
    expect(ids(page).slice(1)).toEqual([mariana.id, joao.id, acme.id, zed.id])
    const times = page.conversations.map((c) => Date.parse(c.lastMessageAt))
    expect(times).toEqual([...times].sort((x, y) => y - x))
    expect(page.conversations.some((c) => c.id === bConv.id)).toBe(false)
    expect(page.conversations.find((c) => c.id === joao.id)).toEqual({
      id: joao.id, status: 'pending', contactId: joao.contactId, contactName: 'João Pedro', contactWaId: '5521912345678',
      numberId: joao.numberId, numberDisplayPhone: '+1 555-010-0001', assigneeId: agent.userId, assigneeName: 'Ana Agent',
      unreadCount: 0, lastMessageAt: expect.stringMatching(/\.\d{6}Z$/), lastMessagePreview: 'preview of 5521912345678', tags: [], serviceWindowExpiresAt: null,
    })
    expect(page.hasMore).toBe(false)
  })

  it('filters by status, view, number, tag and unread', async () => {
    expect(ids(await list(agent, { status: 'pending' }))).toEqual([joao.id])
    expect(ids(await list(agent, { status: 'closed' }))).toEqual([zed.id])
    expect(ids(await list(agent, { view: 'mine' }))).toEqual([joao.id, zed.id])
    expect(ids(await list(supervisor, { view: 'mine' }))).toEqual([acme.id])
    const unassigned = ids(await list(agent, { view: 'unassigned' }))
    expect(unassigned).toContain(mariana.id)
    expect(unassigned).not.toContain(joao.id)
    expect(ids(await list(agent, { numberId: acme.numberId }))).toEqual([acme.id, zed.id])
    expect(ids(await list(agent, { tag: 'vip' }))).toEqual([mariana.id, acme.id])
    expect(ids(await list(agent, { tag: 'billing' }))).toEqual([acme.id])
    expect(ids(await list(agent, { unread: 'true' }))).toEqual([mariana.id, zed.id])
    expect(ids(await list(agent, { view: 'mine', unread: 'true', status: 'closed' }))).toEqual([zed.id])
  })

  it('rejects bad filter values instead of ignoring them', () => {
    for (const bad of [{ status: 'archived' }, { view: 'everyone' }, { numberId: 'not-a-uuid' }, { limit: '0' }, { limit: '101' }, { unread: 'yes' }, { before: 'yesterday', beforeId: mariana.id }])
      expect(listConversationsQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
  })

  it('finds a contact by name, profile name and the start of a word in either', async () => {
    expect(ids(await list(agent, { q: 'Mariana' }))).toEqual([mariana.id])
    expect(ids(await list(agent, { q: 'souz' }))).toEqual([mariana.id])
    expect(ids(await list(agent, { q: 'joão' }))).toEqual([joao.id])
    expect(ids(await list(agent, { q: 'acme corp' }))).toEqual([acme.id])
  })

  it('finds a contact by phone digits however the number is typed', async () => {
    expect(ids(await list(agent, { q: '+55 11 98765' }))).toEqual([mariana.id])
    expect(ids(await list(agent, { q: '4321' }))).toEqual([mariana.id])
    expect(ids(await list(agent, { q: '(415) 555-0123' }))).toEqual([acme.id])
  })

  it('finds conversations by message text, whole or partial words, with the matching message', async () => {
    const page = await list(agent, { q: 'entreg sábado' })
    expect(ids(page)).toEqual([mariana.id])
    expect(page.conversations[0]!.matchedMessage).toEqual({ id: marianaText, preview: 'Olá! Vocês entregam no sábado?', timestamp: expect.any(Date) })
    const caption = await list(agent, { q: 'catálogo' })
    expect(caption.conversations.map((c) => [c.id, c.matchedMessage?.id])).toEqual([[joao.id, joaoImage]])
    expect(caption.conversations[0]!.matchedMessage!.preview).toBe('📷 Photo · Catálogo de verão')
    expect(ids(await list(agent, { q: 'refund' }))).toEqual([zed.id])
    expect(ids(await list(agent, { q: 'invoice 884' }))).toEqual([acme.id])
    // Tenant B has the same words; search combines with filters.
    expect(ids(await list(agent, { q: 'invoice', status: 'open' }))).toEqual([])
    expect(ids(await list(agent, { q: 'nothing-like-this' }))).toEqual([])
    expect(ids(await list(agent, { q: '!!' }))).toEqual([])
  })

  it('pages through ties on last_message_at without duplicates or skips', async () => {
    const pager = await whatsappTenant(t.db, 'pager', oneNumber(3))
    const member = { userId: pager.userId, claims: pager.claims, role: 'owner' as const, name: 'pager' }
    const shared = minutesAgo(3)
    for (let i = 0; i < 25; i++)
      await conversation(pager, { name: `Pager ${i}`, waId: `4930000000${String(i).padStart(2, '0')}`, number: 0, at: i % 3 === 0 ? shared : minutesAgo(100 + i) })
    // Others a microsecond apart: the same millisecond, so a millisecond cursor would skip some.
    await t.db.sql`
      update public.conversations c set last_message_at = ${shared} + (x.n * interval '1 microsecond')
      from (select id, row_number() over (order by id) as n from public.conversations
            where tenant_id = ${pager.tenantId} and contact_id in (select id from public.contacts where name like 'Pager %') and last_message_at <> ${shared}) x
      where x.n <= 6 and c.id = x.id`
    const all = ids(await list(member, { limit: '100' }, pager.tenantId))
    expect(all).toHaveLength(26)
    const seen: string[] = []
    let cursor: Record<string, string> = {}
    for (let pages = 0; pages < 20; pages++) {
      const page = await list(member, { limit: '4', ...cursor }, pager.tenantId)
      seen.push(...ids(page))
      if (!page.hasMore) break
      const last = page.conversations.at(-1)!
      cursor = { before: last.lastMessageAt, beforeId: last.id }
    }
    expect(seen).toEqual(all)
  })
})

describe('conversation detail', () => {
  it('returns the summary with the contact and the number', async () => {
    const detail = await as<Awaited<ReturnType<typeof getConversation>>>(agent, (tx) => getConversation(tx, a.tenantId, mariana.id))
    expect(detail).toMatchObject({
      id: mariana.id, status: 'open', contactName: 'Mariana Souza', unreadCount: 2, tags: ['vip'], assigneeId: null, assigneeName: null,
      contact: { id: mariana.contactId, name: 'Mariana Souza', profileName: 'Mari', waId: '5511987654321', email: null, tags: [], optedOut: false, blocked: false },
      number: { id: mariana.numberId, phoneNumberId: '206540352242922', displayPhone: '+1 555-010-0001', verifiedName: null },
    })
    expect(detail.serviceWindowExpiresAt).toBeInstanceOf(Date)
  })

  it('answers not found for an unknown id and for a path that is not a uuid', async () => {
    expect((await errorOf(as(agent, (tx) => getConversation(tx, a.tenantId, '00000000-0000-4000-8000-000000000000')))).code).toBe('not_found')
    expect(() => conversationIdParam('1; drop table x')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})

describe('updating a conversation', () => {
  // Each test changes a fresh conversation of its own, in a workspace of its own.
  let desk: Workspace
  let conv: Conv
  beforeAll(async () => {
    desk = await staffedWorkspace('desk', oneNumber(6))
  })
  beforeEach(async () => {
    conv = await openConversation(desk.tenant)
  })
  const change = (member: Member, body: unknown) => update(member, conv.id, body, desk.tenant.tenantId)

  it('lets an agent change status and tags (trimmed and deduplicated) and audits it', async () => {
    const updated = await change(desk.agent, { status: 'pending', tags: [' vip ', 'vip', 'late'] })
    expect(updated).toMatchObject({ id: conv.id, status: 'pending', tags: ['vip', 'late'], contact: { id: conv.contactId } })
    const [audit] = await t.db.sql`
      select actor_id, action, details from public.audit_log where target_id = ${conv.id} order by created_at desc limit 1`
    expect(audit).toMatchObject({ actor_id: desk.agent.userId, action: 'conversation.updated', details: { status: { from: 'open', to: 'pending' }, tags: { from: ['vip'], to: ['vip', 'late'] } } })
  })

  it('lets an agent take or drop a conversation but not hand it to someone else', async () => {
    expect(await change(desk.agent, { assigneeId: desk.agent.userId })).toMatchObject({ assigneeId: desk.agent.userId, assigneeName: 'Ana Agent' })
    expect(await change(desk.agent, { assigneeId: null })).toMatchObject({ assigneeId: null })
    expect((await errorOf(change(desk.agent, { assigneeId: desk.supervisor.userId }))).code).toBe('forbidden')
    expect((await t.db.sql`select assignee_id from public.conversations where id = ${conv.id}`)[0]!.assignee_id).toBeNull()
  })

  it('lets a supervisor assign any member, and nobody assign a non-member', async () => {
    expect(await change(desk.supervisor, { assigneeId: desk.agent.userId })).toMatchObject({ assigneeId: desk.agent.userId })
    const error = await errorOf(change(desk.owner, { assigneeId: outsider.userId }))
    expect(error).toMatchObject({ code: 'validation_failed', status: 422, details: [{ path: 'assigneeId', message: expect.any(String) }] })
  })

  it('validates the body', () => {
    for (const bad of [{}, { status: 'archived' }, { assigneeId: 'bob' }, { tags: [''] }, { tags: ['x'.repeat(41)] }, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, { colour: 'red' }])
      expect(updateConversationInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
  })
})

describe('private notes', () => {
  // Each test notes a conversation of its own, in this block's own workspace: the search below expects
  // no hit at all, which only holds where every message was written by these tests.
  let notes: Workspace
  beforeAll(async () => {
    notes = await staffedWorkspace('notes', oneNumber(7))
  })
  const addNoteTo = (conv: Conv, body: string) =>
    as<Awaited<ReturnType<typeof addNote>>>(notes.agent, (tx) =>
      addNote(tx, { tenantId: notes.tenant.tenantId, conversationId: conv.id, userId: notes.agent.userId, body }),
    )

  it('stores a note from the team without touching the window, unread count, preview or order', async () => {
    const conv = await openConversation(notes.tenant)
    const [before] = await t.db.sql`select * from public.conversations where id = ${conv.id}`
    const note = await addNoteTo(conv, parseInput(addNoteInput, { body: '  Call her back after 5  ' }).body)
    expect(note).toMatchObject({ type: 'note', content: { text: 'Call her back after 5' }, wamid: null, sentBy: { id: notes.agent.userId, name: 'Ana Agent' }, quoted: null })
    const [after] = await t.db.sql`select * from public.conversations where id = ${conv.id}`
    for (const column of ['last_message_at', 'last_message_preview', 'unread_count', 'service_window_expires_at', 'last_inbound_at', 'status', 'updated_at'])
      expect(after![column], column).toEqual(before![column])
    // Notes are not customer text: search does not find them.
    expect(ids(await list(notes.agent, { q: 'call her back' }, notes.tenant.tenantId))).toEqual([])
    expect(addNoteInput.safeParse({ body: '' }).success).toBe(false)
    expect(addNoteInput.safeParse({ body: 'x'.repeat(4097) }).success).toBe(false)
  })

  it('is never picked up by the straggler sweep, the send path, status webhooks or read receipts', async () => {
    const conv = await openConversation(notes.tenant)
    await message(conv, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'Is my order ready?' }, at: minutesAgo(12), wamid: 'wamid.notes.1' })
    // The note is newer than the customer's message, so a read receipt that took notes would pick it.
    const note = await addNoteTo(conv, 'VIP, be quick')
    // A real outbound message stuck in pending shows the sweep does run.
    const stuck = await message(conv, { direction: 'outbound', type: 'text', content: { type: 'text', to: conv.waId, text: { body: 'hi' } }, at: new Date(), status: 'pending' })
    await t.db.sql`update public.messages set created_at = now() - interval '10 minutes' where id in (${note.id}, ${stuck})`
    const mediaDir = await mkdtemp(path.join(tmpdir(), 'inbox-notes-'))
    try {
      const queue = createPostgresJobQueue(t.db.sql)
      const graph = createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0', timeoutMs: 100 })
      await sweepStragglers({ db: t.db, queue, graph, storage: createFilesystemStorage(mediaDir), encryptionKey: TEST_ENCRYPTION_KEY })
    } finally {
      await rm(mediaDir, { recursive: true, force: true })
    }
    const jobs = (await t.db.sql`select id from engine.jobs`).map((j) => j.id)
    expect(jobs).toContain(stuck)
    expect(jobs).not.toContain(note.id)

    const latest = await as<Awaited<ReturnType<typeof markConversationRead>>>(notes.agent, (tx) => markConversationRead(tx, notes.tenant.tenantId, conv.id))
    expect(latest?.wamid).toBe('wamid.notes.1')
    const [row] = await t.db.sql`select status, wamid, sent_at, failed_at from public.messages where id = ${note.id}`
    expect(row).toEqual({ status: 'sent', wamid: null, sent_at: null, failed_at: null })
  })
})

describe('messages of a conversation', () => {
  it('carries the sending team member and the quoted message of a reply', async () => {
    // The thread is written into a workspace of its own: a new message in workspace A would change what its other tests see.
    const thread = await staffedWorkspace('thread', oneNumber(8))
    const conv = await openConversation(thread.tenant)
    const question = await message(conv, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'Olá! Vocês entregam no sábado?' }, at: minutesAgo(12), wamid: 'wamid.thread.1' })
    const reply = await message(conv, {
      direction: 'outbound', type: 'text', content: { type: 'text', text: { body: 'Sim, entregamos!' }, context: { message_id: 'wamid.thread.1' } },
      at: minutesAgo(11), sentBy: thread.supervisor.userId, replyTo: 'wamid.thread.1',
    })
    const dangling = await message(conv, { direction: 'inbound', type: 'text', content: { type: 'text', text: 'and this?' }, at: minutesAgo(10.5), wamid: 'wamid.thread.2', replyTo: 'wamid.bolt.1' })
    const { messages } = await as<Awaited<ReturnType<typeof listMessages>>>(thread.agent, (tx) => listMessages(tx, thread.tenant.tenantId, conv.id, listMessagesQuery.parse({})))
    const byId = new Map(messages.map((m) => [m.id, m]))
    expect(byId.get(reply)).toMatchObject({
      sentBy: { id: thread.supervisor.userId, name: 'Sam Supervisor' },
      quoted: { id: question, direction: 'inbound', type: 'text', preview: 'Olá! Vocês entregam no sábado?' },
    })
    expect(byId.get(question)).toMatchObject({ sentBy: null, quoted: null })
    // A reply to another workspace's message (a wamid it cannot see) quotes nothing.
    expect(byId.get(dangling)!.quoted).toBeNull()
  })
})

describe('dashboard', () => {
  it('shows numbers, today since local midnight in the workspace time zone, and open conversations per agent', async () => {
    const dash = await whatsappTenant(t.db, 'dash', oneNumber(4))
    await t.db.sql`update public.tenants set timezone = 'Asia/Kathmandu' where id = ${dash.tenantId}`
    await t.db.sql`update public.profiles set full_name = 'Dana Owner' where id = ${dash.userId}`
    const dashAgent = await addMember(t.db, dash.tenantId, 'agent', 'Dev Agent')
    // Kathmandu is UTC+05:45 all year: local midnight is computable without a time-zone library.
    const offset = (5 * 60 + 45) * 60_000
    const localNow = new Date(Date.now() + offset)
    const midnight = new Date(Date.UTC(localNow.getUTCFullYear(), localNow.getUTCMonth(), localNow.getUTCDate()) - offset)
    const justAfter = new Date(midnight.getTime() + 1000)
    const justBefore = new Date(midnight.getTime() - 1000)

    const c1 = await conversation(dash, { name: 'One', waId: '977980000001', number: 0, assigneeId: dash.userId, at: justAfter })
    const c2 = await conversation(dash, { name: 'Two', waId: '977980000002', number: 0, assigneeId: dash.userId, at: justAfter })
    const c3 = await conversation(dash, { name: 'Three', waId: '977980000003', number: 0, assigneeId: dashAgent.userId, at: justAfter })
    await conversation(dash, { name: 'Four', waId: '977980000004', number: 0, status: 'resolved', assigneeId: dashAgent.userId, at: justAfter })
    await message(c1, { direction: 'inbound', type: 'text', content: { text: 'today' }, at: justAfter, wamid: 'wamid.dash.1' })
    await message(c1, { direction: 'inbound', type: 'text', content: { text: 'yesterday' }, at: justBefore, wamid: 'wamid.dash.2' })
    await message(c2, { direction: 'outbound', type: 'text', content: {}, at: justAfter })
    await message(c2, { direction: 'outbound', type: 'text', content: {}, at: justAfter, status: 'failed' })
    await message(c2, { direction: 'outbound', type: 'text', content: {}, at: justBefore, status: 'failed' })
    await message(c3, { direction: 'outbound', type: 'note', content: { text: 'internal' }, at: justAfter })

    const figures = await t.db.withUser(dash.claims, (tx) => readDashboard(tx, dash.tenantId))
    // seedTenant's own number and its one outbound message (sent now) are part of the workspace.
    expect(figures.today).toEqual({ inbound: 1, outbound: 3, failed: 1 })
    expect(figures.numbers).toHaveLength(2)
    expect(figures.numbers[1]).toEqual({
      id: c1.numberId, displayPhone: '+1 555-040-0001', verifiedName: null, status: 'connected', qualityRating: 'UNKNOWN',
      messagingLimitTier: 'TIER_250', throughputMps: 80,
    })
    expect(figures.openByAgent).toEqual([
      { assigneeId: dash.userId, name: 'Dana Owner', open: 2 },
      { assigneeId: dashAgent.userId, name: 'Dev Agent', open: 1 },
      { assigneeId: null, name: 'Unassigned', open: 1 },
    ])
  })
})

describe('tenant isolation', () => {
  it("keeps tenant B from reading, changing or noting tenant A's conversation, even naming A's tenant id", async () => {
    for (const tenantId of [b.tenantId, a.tenantId]) {
      expect((await errorOf(as(outsider, (tx) => getConversation(tx, tenantId, mariana.id)))).code).toBe('not_found')
      expect((await errorOf(update(outsider, mariana.id, { status: 'closed', assigneeId: null }, tenantId))).code).toBe('not_found')
      expect((await errorOf(as(outsider, (tx) => addNote(tx, { tenantId, conversationId: mariana.id, userId: outsider.userId, body: 'hi' })))).code).toBe('not_found')
      const { messages } = await as<Awaited<ReturnType<typeof listMessages>>>(outsider, (tx) => listMessages(tx, tenantId, mariana.id, listMessagesQuery.parse({})))
      expect(messages).toEqual([])
    }
    expect(ids(await list(outsider, {}, a.tenantId))).toEqual([])
    expect(ids(await list(outsider, { q: 'mariana' }, b.tenantId))).toEqual([bConv.id])
    const [row] = await t.db.sql`select status from public.conversations where id = ${mariana.id}`
    expect(row!.status).toBe('open')
    expect(await t.db.sql`select 1 from public.messages where conversation_id = ${mariana.id} and type = 'note' and sent_by = ${outsider.userId}`).toHaveLength(0)
  })
})

describe('searching a word found in thousands of messages', () => {
  it('finds name and message matches, newest first, with the newest matching message', async () => {
    // A workspace of its own, so the thousands of messages and the extra contact stay out of workspace A's lists.
    // (Not labelled "ping…": seedTenant names a contact after the label.)
    const flood = await staffedWorkspace('flood', oneNumber(9))
    const search = (query: Record<string, string>) => list(flood.agent, query, flood.tenant.tenantId)
    const pingo = await conversation(flood.tenant, { name: 'Pingo Lopes', waId: '5511955554444', number: 0, at: minutesAgo(45) })
    const pinged = await conversation(flood.tenant, { name: 'Zed', waId: '447700900123', number: 0, status: 'closed', at: minutesAgo(40) })
    await t.db.sql`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, "timestamp")
      select ${flood.tenant.tenantId}, ${pinged.id}, ${pinged.numberId}, ${pinged.contactId}, 'wamid.ping.' || g, 'inbound', 'text', 'received',
             jsonb_build_object('type', 'text', 'text', 'ping ' || g), now() - interval '2 hours' - g * interval '1 second'
      from generate_series(1, 3000) g`
    const page = await search({ q: 'ping' })
    expect(ids(page)).toEqual([pinged.id, pingo.id])
    expect(page.conversations[0]!.matchedMessage!.preview).toBe('ping 1')
    expect(page.conversations[1]!.matchedMessage).toBeUndefined()
    expect(ids(await search({ q: 'ping', status: 'open' }))).toEqual([pingo.id])
    expect(ids(await search({ q: 'pin', limit: '1' }))).toEqual([pinged.id])
  })
})

describe('filtering by a tag on hundreds of conversations', () => {
  it('walks the list for a common tag and looks a rare one up, both newest first', async () => {
    const tagged = await whatsappTenant(t.db, 'tagged', oneNumber(5))
    const member = { userId: tagged.userId, claims: tagged.claims, role: 'owner' as const, name: 'tagged' }
    const numberId = Object.values(tagged.numbers)[0]!
    await t.db.sql`
      with contacts as (
        insert into public.contacts (tenant_id, wa_id, name)
        select ${tagged.tenantId}, '4915100' || lpad(g::text, 5, '0'), 'Bulk ' || g from generate_series(1, ${RARE_TAG_CAP + 50}) g
        returning id, name
      )
      insert into public.conversations (tenant_id, number_id, contact_id, tags, last_message_at)
      select ${tagged.tenantId}, ${numberId}, id, case when substr(name, 6)::int % 100 = 0 then array['rare'] else array['bulk'] end,
             now() - substr(name, 6)::int * interval '1 minute'
      from contacts`
    const expected = async (tag: string) =>
      (await t.db.sql`
        select id from public.conversations where tenant_id = ${tagged.tenantId} and ${tag} = any(tags)
        order by last_message_at desc, id desc limit 30`).map((r) => r.id)
    expect(ids(await list(member, { tag: 'bulk' }, tagged.tenantId))).toEqual(await expected('bulk'))
    const rare = ids(await list(member, { tag: 'rare' }, tagged.tenantId))
    expect(rare).toHaveLength(5)
    expect(rare).toEqual(await expected('rare'))

    // A name in most conversations fills the page from the newest ones; one far down the list is looked up.
    const common = await list(member, { q: 'bulk', limit: '40' }, tagged.tenantId)
    const newest = await t.db.sql`
      select c.id from public.conversations c join public.contacts ct on ct.id = c.contact_id
      where c.tenant_id = ${tagged.tenantId} and ct.name like 'Bulk %' order by c.last_message_at desc, c.id desc limit 40`
    expect(ids(common)).toEqual(newest.map((r) => r.id))
    expect(common.hasMore).toBe(true)
    const far = await list(member, { q: 'bulk 540' }, tagged.tenantId)
    expect(far.conversations.map((c) => c.contactName)).toEqual(['Bulk 540'])
    for (const phone of ['+49 151 0000540', '00540', '1510000540'])
      expect((await list(member, { q: phone }, tagged.tenantId)).conversations.map((c) => c.contactName), phone).toEqual(['Bulk 540'])
    expect(ids(await list(member, { q: 'bulk 54', tag: 'bulk' }, tagged.tenantId))).toHaveLength(11)
  })
})
