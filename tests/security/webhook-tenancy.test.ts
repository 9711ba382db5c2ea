// One signed Meta webhook can name numbers of several workspaces (Meta batches per app, not per
// customer of ours): each part must land in the workspace that owns the number it names, and in no
// other. Each body goes the real way — POST to the route handler, the hand-off after its response, the
// worker's webhook loop — and what each workspace sees is read as its own member, under RLS.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { conversationsOf } from '@/core/realtime/realtime-event'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'
import { whatsappTenant } from '../integration/support/whatsapp-tenant'
import {
  createWebhookHarness,
  messagesChange,
  metaBody,
  metaSignature,
  status,
  statusesChange,
  type HarnessHooks,
  type MetaNumber,
  type WebhookHarness,
} from './support/webhook-harness'

const hooks = vi.hoisted((): HarnessHooks => ({ afterTasks: [], pushes: [] }))

// Next.js runs `after()` callbacks once the response is sent; in-process there is no request scope, so
// the route's callback is collected and run by the harness right after the response.
vi.mock('next/server', async (importOriginal) => {
  const actual = await importOriginal<typeof import('next/server')>()
  return { ...actual, after: (task: () => unknown) => void hooks.afterTasks.push(task) }
})
// The push service is the network edge: notifications are recorded instead of sent.
vi.mock('web-push', async (importOriginal) => {
  const actual = await importOriginal<typeof import('web-push') & { default: typeof import('web-push') }>()
  const sendNotification = async (subscription: { endpoint: string }, payload?: string | Buffer | null) => {
    hooks.pushes.push({ endpoint: subscription.endpoint, payload: String(payload) })
    return { statusCode: 201, body: '', headers: {} }
  }
  return { ...actual, default: { ...actual.default, sendNotification }, sendNotification }
})

const A = { wabaId: '173094857261001', number: { phoneNumberId: '173094857261101', display: '+1 555-010-1101' } }
const B = { wabaId: '173094857262002', number: { phoneNumberId: '173094857262202', display: '+44 7700 900202' } }
const UNKNOWN = { wabaId: '173094857263003', number: { phoneNumberId: '173094857263303', display: '+49 30 9000303' } }

type Tenant = Awaited<ReturnType<typeof whatsappTenant>>
let t: TestDatabase
let h: WebhookHarness
let a: Tenant
let b: Tenant
let customers = 0

beforeAll(async () => {
  t = await createTestDatabase()
  a = await whatsappTenant(t.db, 'acme', { wabaId: A.wabaId, numbers: [A.number] })
  b = await whatsappTenant(t.db, 'bolt', { wabaId: B.wabaId, numbers: [B.number] })
  h = await createWebhookHarness(t, hooks)
  await h.listen(a.tenantId)
  await h.listen(b.tenantId)
})

afterAll(async () => {
  await h?.close()
  await t?.drop()
})

const newWaId = () => `5541${String(process.pid % 1000).padStart(3, '0')}${String(++customers).padStart(5, '0')}`
const now = () => Math.floor(Date.now() / 1000) - 120
const text = (waId: string, wamid: string, body: string, ts = now()) => ({ from: waId, id: wamid, timestamp: String(ts), type: 'text', text: { body } })
const change = (number: MetaNumber, waId: string, message: Record<string, unknown>) => messagesChange(number, [{ waId, name: 'Mariana Souza' }], [message])

/** POSTs a signed body and lets the worker apply it; answers the stored delivery as the worker left it. */
async function deliver(raw: string) {
  expect((await h.post(raw)).status).toBe(200)
  expect(await h.drain()).toBe(1)
  const rows = await t.db.sql<{ processed: boolean; tenantId: string | null; error: string | null }[]>`
    select processed_at is not null as processed, tenant_id as "tenantId", error from public.webhook_events where signature = ${metaSignature(raw)}`
  expect(rows).toHaveLength(1)
  return rows[0]!
}

/** What a member of the workspace reads, through RLS, about one customer and some wamids. */
function asMemberOf(tenant: Tenant, waId: string, wamids: string[]) {
  return t.db.withUser(tenant.claims, async (tx) => ({
    messages: [
      ...(await tx<{ wamid: string; tenantId: string; body: string }[]>`
        select wamid, tenant_id as "tenantId", content->>'text' as body from public.messages
        where wamid = any(${wamids}::text[]) or contact_id in (select id from public.contacts where wa_id = ${waId}) order by wamid`),
    ],
    contacts: [...(await tx<{ id: string; tenantId: string }[]>`select id, tenant_id as "tenantId" from public.contacts where wa_id = ${waId}`)],
    conversations: [
      ...(await tx<{ id: string; tenantId: string; numberId: string; unreadCount: number }[]>`
        select c.id, c.tenant_id as "tenantId", c.number_id as "numberId", c.unread_count as "unreadCount"
        from public.conversations c join public.contacts ct on ct.id = c.contact_id where ct.wa_id = ${waId}`),
    ],
  }))
}

describe('one signed body naming numbers of two workspaces', () => {
  it.each([
    ['two entries, one per workspace', (waId: string, wamidA: string, wamidB: string) =>
      metaBody([
        { wabaId: A.wabaId, changes: [change(A.number, waId, text(waId, wamidA, 'Pedido para a Acme'))] },
        { wabaId: B.wabaId, changes: [change(B.number, waId, text(waId, wamidB, 'Pedido para a Bolt'))] },
      ])],
    ['two changes of one entry', (waId: string, wamidA: string, wamidB: string) =>
      metaBody([{ wabaId: A.wabaId, changes: [change(A.number, waId, text(waId, wamidA, 'Pedido para a Acme')), change(B.number, waId, text(waId, wamidB, 'Pedido para a Bolt'))] }])],
  ])('lands each message in its own workspace only (%s)', async (_shape, build) => {
    const waId = newWaId()
    const wamidA = `wamid.a-${randomUUID()}`
    const wamidB = `wamid.b-${randomUUID()}`
    const event = await deliver(build(waId, wamidA, wamidB))
    // Applied without problems; a delivery concerning two workspaces belongs to neither alone.
    expect(event).toEqual({ processed: true, tenantId: null, error: null })

    // With the service connection: every row of each message sits in one workspace, on its own number.
    const rows = await t.db.sql`
      select m.wamid, m.tenant_id as "tenantId", m.number_id as "numberId", c.tenant_id as "conversationTenant", c.number_id as "conversationNumber",
             ct.tenant_id as "contactTenant", ct.wa_id as "waId"
      from public.messages m join public.conversations c on c.id = m.conversation_id join public.contacts ct on ct.id = m.contact_id
      where m.wamid = any(${[wamidA, wamidB]}::text[]) order by m.tenant_id = ${a.tenantId} desc`
    const numberA = a.numbers[A.number.phoneNumberId]!
    const numberB = b.numbers[B.number.phoneNumberId]!
    expect([...rows]).toEqual([
      { wamid: wamidA, tenantId: a.tenantId, numberId: numberA, conversationTenant: a.tenantId, conversationNumber: numberA, contactTenant: a.tenantId, waId },
      { wamid: wamidB, tenantId: b.tenantId, numberId: numberB, conversationTenant: b.tenantId, conversationNumber: numberB, contactTenant: b.tenantId, waId },
    ])
    const contacts = await t.db.sql<{ tenantId: string }[]>`select tenant_id as "tenantId" from public.contacts where wa_id = ${waId} order by tenant_id = ${a.tenantId} desc`
    expect(contacts.map((c) => c.tenantId)).toEqual([a.tenantId, b.tenantId]) // one contact per workspace, never shared

    // As each workspace's member, under RLS: its own message, contact and conversation, nothing of the other's.
    const seenByA = await asMemberOf(a, waId, [wamidA, wamidB])
    const seenByB = await asMemberOf(b, waId, [wamidA, wamidB])
    expect(seenByA).toEqual({
      messages: [{ wamid: wamidA, tenantId: a.tenantId, body: 'Pedido para a Acme' }],
      contacts: [{ id: expect.any(String), tenantId: a.tenantId }],
      conversations: [{ id: expect.any(String), tenantId: a.tenantId, numberId: numberA, unreadCount: 1 }],
    })
    expect(seenByB).toEqual({
      messages: [{ wamid: wamidB, tenantId: b.tenantId, body: 'Pedido para a Bolt' }],
      contacts: [{ id: expect.any(String), tenantId: b.tenantId }],
      conversations: [{ id: expect.any(String), tenantId: b.tenantId, numberId: numberB, unreadCount: 1 }],
    })
    expect(seenByA.contacts[0]!.id).not.toBe(seenByB.contacts[0]!.id)

    // Each workspace's live inbox heard of its own conversation, never of the other's.
    const heardA = new Set((await h.realtime(a.tenantId)).flatMap(conversationsOf))
    const heardB = new Set((await h.realtime(b.tenantId)).flatMap(conversationsOf))
    const [conversationA, conversationB] = [seenByA.conversations[0]!.id, seenByB.conversations[0]!.id]
    expect([heardA.has(conversationA), heardA.has(conversationB), heardB.has(conversationB), heardB.has(conversationA)]).toEqual([true, false, true, false])
  })

  it('drops an entry naming an unknown phone_number_id without affecting the other entry', async () => {
    const known = newWaId()
    const stranger = newWaId()
    const wamidA = `wamid.a-${randomUUID()}`
    const wamidUnknown = `wamid.x-${randomUUID()}`
    // The unknown number's entry comes first: it must not stop the one after it.
    const event = await deliver(
      metaBody([
        { wabaId: UNKNOWN.wabaId, changes: [change(UNKNOWN.number, stranger, text(stranger, wamidUnknown, 'Para ninguém'))] },
        { wabaId: A.wabaId, changes: [change(A.number, known, text(known, wamidA, 'Para a Acme'))] },
      ]),
    )
    expect(event).toEqual({ processed: true, tenantId: a.tenantId, error: `message ${wamidUnknown}: unknown phone_number_id ${UNKNOWN.number.phoneNumberId}` })

    const messages = await t.db.sql<{ wamid: string; tenantId: string }[]>`
      select wamid, tenant_id as "tenantId" from public.messages where wamid = any(${[wamidA, wamidUnknown]}::text[])`
    expect([...messages]).toEqual([{ wamid: wamidA, tenantId: a.tenantId }])
    // Nothing of the unknown number's customer was written anywhere, in any workspace.
    const [stray] = await t.db.sql<{ contacts: number; conversations: number }[]>`
      select (select count(*)::int from public.contacts where wa_id = ${stranger}) as contacts,
             (select count(*)::int from public.conversations c join public.contacts ct on ct.id = c.contact_id where ct.wa_id = ${stranger}) as conversations`
    expect(stray).toEqual({ contacts: 0, conversations: 0 })
    expect(await asMemberOf(a, known, [wamidA])).toMatchObject({ messages: [{ wamid: wamidA, tenantId: a.tenantId, body: 'Para a Acme' }], contacts: [{ tenantId: a.tenantId }] })
    expect(await asMemberOf(b, known, [wamidA, wamidUnknown])).toEqual({ messages: [], contacts: [], conversations: [] })
  })

  it("never lets a message under workspace B's number reuse workspace A's wamid to reach A's conversation", async () => {
    const waId = newWaId()
    const wamid = `wamid.a-${randomUUID()}`
    await deliver(metaBody([{ wabaId: A.wabaId, changes: [change(A.number, waId, text(waId, wamid, 'Só para a Acme'))] }]))
    const readA = async () =>
      (
        await t.db.sql`
          select m.id, m.tenant_id as "tenantId", m.conversation_id as "conversationId", m.content, m.updated_at as "updatedAt",
                 c.unread_count as "unreadCount", c.updated_at as "conversationUpdatedAt", ct.profile_name as "profileName", ct.updated_at as "contactUpdatedAt"
          from public.messages m join public.conversations c on c.id = m.conversation_id join public.contacts ct on ct.id = m.contact_id
          where m.wamid = ${wamid}`
      )[0]
    const before = await readA()
    expect(before).toMatchObject({ tenantId: a.tenantId, unreadCount: 1 })

    // The same wamid, another text and another profile name, under B's number.
    const event = await deliver(
      metaBody([{ wabaId: B.wabaId, changes: [messagesChange(B.number, [{ waId, name: 'Someone Else' }], [text(waId, wamid, 'Reescrito pela Bolt')])] }]),
    )
    expect(event).toEqual({ processed: true, tenantId: b.tenantId, error: null })
    expect(await readA()).toEqual(before)
    // B records nothing for a message that already exists: no message, and no contact or conversation either.
    expect(await asMemberOf(b, waId, [wamid])).toEqual({ messages: [], contacts: [], conversations: [] })
  })

  it("never lets a status under workspace B's number change workspace A's messages", async () => {
    const waId = newWaId()
    const numberA = a.numbers[A.number.phoneNumberId]!
    // A's conversation: one message Meta accepted (W1), one whose send is in doubt (no wamid recorded yet).
    const ours = await t.db.withService(async (tx) => {
      const [contact] = await tx<{ id: string }[]>`insert into public.contacts (tenant_id, wa_id) values (${a.tenantId}, ${waId}) returning id`
      const [conversation] = await tx<{ id: string }[]>`
        insert into public.conversations (tenant_id, number_id, contact_id) values (${a.tenantId}, ${numberA}, ${contact!.id}) returning id`
      const insert = (wamid: string | null, s: string) => tx<{ id: string }[]>`
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, sent_at)
        values (${a.tenantId}, ${conversation!.id}, ${numberA}, ${contact!.id}, ${wamid}, 'outbound', 'text', ${s},
                ${tx.json({ type: 'text', text: { body: 'hello' } })}, ${s === 'sent' ? new Date(Date.now() - 60_000) : null})
        returning id`
      const wamid = `wamid.w1-${randomUUID()}`
      const [sent] = await insert(wamid, 'sent')
      const [inDoubt] = await insert(null, 'queued')
      return { wamid, sentId: sent!.id, inDoubtId: inDoubt!.id, conversationId: conversation!.id }
    })
    const adoptedWamid = `wamid.w2-${randomUUID()}`
    const readRows = async () =>
      [
        ...(await t.db.sql`
          select id, wamid, status, sent_at as "sentAt", delivered_at as "deliveredAt", read_at as "readAt", failed_at as "failedAt",
                 error_code as "errorCode", updated_at as "updatedAt"
          from public.messages where id = any(${[ours.sentId, ours.inDoubtId]}::uuid[]) order by wamid nulls last`),
      ]
    const before = await readRows()
    const heardBefore = (await h.realtime(a.tenantId)).filter((e) => conversationsOf(e).includes(ours.conversationId)).length
    const ts = now()
    // Statuses for A's wamid, and one naming A's in-doubt message as its callback data, all under B's number.
    const statuses = (number: MetaNumber) => [
      status(ours.wamid, 'delivered', ts, waId),
      status(ours.wamid, 'read', ts + 1, waId),
      status(adoptedWamid, 'delivered', ts + 2, waId, { biz_opaque_callback_data: ours.inDoubtId }),
      ...(number === B.number ? [status(ours.wamid, 'failed', ts + 3, waId, { errors: [{ code: 131026, title: 'Message undeliverable' }] })] : []),
    ]
    const event = await deliver(metaBody([{ wabaId: B.wabaId, changes: [statusesChange(B.number, statuses(B.number))] }]))
    expect(event).toMatchObject({ processed: true, error: null })

    expect(await readRows()).toEqual(before)
    expect((await h.realtime(a.tenantId)).filter((e) => conversationsOf(e).includes(ours.conversationId))).toHaveLength(heardBefore)
    const parkedForA = await t.db.sql`select wamid from public.pending_statuses where tenant_id = ${a.tenantId} and wamid = any(${[ours.wamid, adoptedWamid]}::text[])`
    expect([...parkedForA]).toEqual([])

    // The same statuses under A's own number do apply: it was the number's workspace that kept them out.
    await deliver(metaBody([{ wabaId: A.wabaId, changes: [statusesChange(A.number, statuses(A.number))] }]))
    const applied = await readRows()
    expect(applied.map(({ id, wamid, status: s }) => ({ id, wamid, status: s }))).toEqual([
      { id: ours.sentId, wamid: ours.wamid, status: 'read' },
      { id: ours.inDoubtId, wamid: adoptedWamid, status: 'delivered' },
    ])
  })
})
