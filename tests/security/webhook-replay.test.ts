// A signed Meta webhook replayed — Meta retrying, or an attacker re-sending captured bytes, which the
// signature alone cannot tell apart — changes nothing a second time. Each body goes the real way: POST
// to the route handler (signature checked, raw payload stored), the hand-off it schedules after its
// response, and the worker's webhook loop (apply, send queue, media download, web push), against a
// private database. Every test builds its own customers, wamids and media, and runs in any order.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { conversationsOf, type RealtimeEvent } from '@/core/realtime/realtime-event'
import { DEFAULT_OPT_OUT_SETTINGS } from '@/core/opt-out/opt-out-settings'
import { sendQueueFor } from '@/core/sending/job-queue'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'
import { whatsappTenant } from '../integration/support/whatsapp-tenant'
import { webhookEventStats } from '@/server/whatsapp/webhook-event-queue'
import {
  createWebhookHarness,
  mediaFile,
  messagesChange,
  metaBody,
  metaSignature,
  status,
  statusesChange,
  type HarnessHooks,
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

const WABA = '184467440737095'
const NUMBER = { phoneNumberId: '184467440737001', display: '+1 555-010-7001' }

let t: TestDatabase
let h: WebhookHarness
let acme: Awaited<ReturnType<typeof whatsappTenant>>
let customers = 0

beforeAll(async () => {
  t = await createTestDatabase()
  acme = await whatsappTenant(t.db, 'acme', { wabaId: WABA, numbers: [NUMBER] })
  h = await createWebhookHarness(t, hooks)
  await h.listen(acme.tenantId)
})

afterAll(async () => {
  await h?.close()
  await t?.drop()
})

const newWaId = () => `5531${String(process.pid % 1000).padStart(3, '0')}${String(++customers).padStart(5, '0')}`

/** A conversation of ours with a customer and an outbound message Meta accepted (status sent, no ticks yet). */
async function sentMessage(options: { assigned?: boolean } = {}) {
  const waId = newWaId()
  const wamid = `wamid.out-${randomUUID()}`
  return t.db.withService(async (tx) => {
    const [contact] = await tx<{ id: string }[]>`
      insert into public.contacts (tenant_id, wa_id, name) values (${acme.tenantId}, ${waId}, 'Returning customer') returning id`
    const [conversation] = await tx<{ id: string }[]>`
      insert into public.conversations (tenant_id, number_id, contact_id, status, assignee_id, last_message_at)
      values (${acme.tenantId}, ${acme.numbers[NUMBER.phoneNumberId]!}, ${contact!.id}, 'resolved',
              ${options.assigned ? acme.userId : null}, now() - interval '3 days')
      returning id`
    const [message] = await tx<{ id: string }[]>`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, "timestamp")
      values (${acme.tenantId}, ${conversation!.id}, ${acme.numbers[NUMBER.phoneNumberId]!}, ${contact!.id}, ${wamid}, 'outbound', 'text', 'sent',
              ${tx.json({ type: 'text', text: { body: 'Your order shipped' } })}, now() - interval '3 days')
      returning id`
    return { waId, wamid, contactId: contact!.id, conversationId: conversation!.id, messageId: message!.id }
  })
}

/**
 * One signed body as Meta could batch it: a customer's text, photo, reaction (to our message) and "STOP",
 * then the sent → delivered → read ticks of that message of ours. `returning`: the customer already has
 * a (resolved) conversation assigned to the owner, so a new message is pushed to the owner's browser.
 */
async function batch(options: { returning: boolean }) {
  const ours = await sentMessage({ assigned: options.returning })
  const customer = options.returning ? { waId: ours.waId, conversationId: ours.conversationId as string | null } : { waId: newWaId(), conversationId: null }
  const t0 = Math.floor(Date.now() / 1000) - 600
  const tag = randomUUID()
  const image = mediaFile()
  h.serveMedia(image)
  const wamids = { text: `wamid.in-${tag}-text`, image: `wamid.in-${tag}-image`, reaction: `wamid.in-${tag}-reaction`, stop: `wamid.in-${tag}-stop` }
  const from = { from: customer.waId }
  const raw = metaBody([
    {
      wabaId: WABA,
      changes: [
        messagesChange(NUMBER, [{ waId: customer.waId, name: 'Mariana Souza' }], [
          { ...from, id: wamids.text, timestamp: String(t0), type: 'text', text: { body: 'Olá! Meu pedido chegou?' } },
          { ...from, id: wamids.image, timestamp: String(t0 + 1), type: 'image', image: { caption: 'A caixa veio amassada', mime_type: 'image/jpeg', sha256: image.sha256, id: image.id } },
          { ...from, id: wamids.reaction, timestamp: String(t0 + 2), type: 'reaction', reaction: { message_id: ours.wamid, emoji: '👍' } },
          { ...from, id: wamids.stop, timestamp: String(t0 + 3), type: 'text', text: { body: 'STOP' } },
        ]),
        statusesChange(NUMBER, [status(ours.wamid, 'sent', t0 + 10, ours.waId), status(ours.wamid, 'delivered', t0 + 11, ours.waId), status(ours.wamid, 'read', t0 + 12, ours.waId)]),
      ],
    },
  ])
  return { raw, t0, image, wamids, customer, ours }
}
type Batch = Awaited<ReturnType<typeof batch>>

const at = (unix: number) => new Date(unix * 1000)

/** Everything a delivery of the batch can change, read with the service connection. */
async function stateOf(b: Batch) {
  const inbound = Object.values(b.wamids)
  const [perWamid, customerRows, ourMessage, media, audit, sendJobs, pending, events] = await Promise.all([
    t.db.sql<{ wamid: string; rows: number }[]>`
      select w as wamid, (select count(*)::int from public.messages m where m.wamid = w) as rows from unnest(${inbound}::text[]) as w order by w`,
    t.db.sql<{ contactId: string; conversations: number; optedOutAt: Date | null; reason: string | null; profileName: string | null; updatedAt: Date }[]>`
      select ct.id as "contactId", ct.opted_out_at as "optedOutAt", ct.opt_out_reason as reason, ct.profile_name as "profileName", ct.updated_at as "updatedAt",
             (select count(*)::int from public.conversations c where c.contact_id = ct.id) as conversations
      from public.contacts ct where ct.tenant_id = ${acme.tenantId} and ct.wa_id = ${b.customer.waId}`,
    t.db.sql`
      select status, sent_at as "sentAt", delivered_at as "deliveredAt", read_at as "readAt", failed_at as "failedAt", error_code as "errorCode"
      from public.messages where wamid = ${b.ours.wamid}`,
    t.db.sql`
      select md.status, md.meta_media_id as "metaMediaId", md.size_bytes::int as "sizeBytes", md.storage_path is not null as stored
      from public.media md join public.messages m on m.id = md.message_id where m.wamid = ${b.wamids.image}`,
    t.db.sql<{ details: { keyword: string; confirmationId: string | null } }[]>`
      select a.details from public.audit_log a join public.contacts ct on a.target_id = ct.id::text
      where a.tenant_id = ${acme.tenantId} and a.action = 'contact.opted_out' and ct.wa_id = ${b.customer.waId}`,
    t.db.sql<{ messageId: string }[]>`
      select j.payload->>'messageId' as "messageId" from engine.jobs j
      join public.messages m on m.id::text = j.payload->>'messageId'
      join public.contacts ct on ct.id = m.contact_id
      where j.queue = ${sendQueueFor(NUMBER.phoneNumberId)} and ct.wa_id = ${b.customer.waId}`,
    t.db.sql`select status from public.pending_statuses where wamid = ${b.ours.wamid}`,
    t.db.sql<{ deliveries: number; applied: number; failed: number }[]>`
      select count(*)::int as deliveries, count(processed_at)::int as applied, count(error)::int as failed
      from public.webhook_events where signature = ${metaSignature(b.raw)}`,
  ])
  const conversationId = customerRows[0]
    ? (await t.db.sql<{ id: string }[]>`select id from public.conversations where contact_id = ${customerRows[0].contactId}`)[0]?.id
    : undefined
  const conversation = conversationId
    ? (
        await t.db.sql`
          select status, unread_count as "unreadCount", last_message_at as "lastMessageAt", last_message_preview as "lastMessagePreview",
                 last_inbound_at as "lastInboundAt", service_window_expires_at as "windowEnd", assignee_id as "assigneeId", updated_at as "updatedAt"
          from public.conversations where id = ${conversationId}`
      )[0]
    : undefined
  const messages = conversationId
    ? await t.db.sql<{ wamid: string | null; direction: string; type: string; status: string; timestamp: Date; body: string | null }[]>`
        select wamid, direction, type, status, "timestamp", coalesce(content->'text'->>'body', content->>'text') as body
        from public.messages where conversation_id = ${conversationId} order by "timestamp", direction, wamid`
    : []
  const realtime = (await h.realtime(acme.tenantId)).filter((e) => conversationsOf(e).some((id) => id === conversationId || id === b.ours.conversationId))
  return {
    perWamid: [...perWamid],
    customer: [...customerRows],
    conversationId,
    conversation,
    messages: [...messages],
    ourMessage: [...ourMessage],
    media: [...media],
    audit: audit.map((a) => a.details),
    sendJobs: sendJobs.map((j) => j.messageId),
    pending: [...pending],
    events: events[0]!,
    realtime,
    pushes: hooks.pushes.filter((p) => conversationId !== undefined && p.payload.includes(conversationId)).length,
    graph: h.graphCalls.filter((c) => c.mediaId === b.image.id),
  }
}

/** The state one delivery of the batch must leave, with exact rows and values. */
function expectAppliedOnce(b: Batch, s: Awaited<ReturnType<typeof stateOf>>) {
  expect(s.perWamid).toEqual(Object.values(b.wamids).map((wamid) => ({ wamid, rows: 1 })).sort((x, y) => x.wamid.localeCompare(y.wamid)))
  expect(s.customer).toEqual([
    { contactId: expect.any(String), conversations: 1, optedOutAt: expect.any(Date), reason: 'keyword: STOP', profileName: 'Mariana Souza', updatedAt: expect.any(Date) },
  ])

  // The customer's four messages and one automatic opt-out confirmation, nothing more (after our
  // earlier message when the customer is a returning one).
  const confirmation = s.messages.find((m) => m.direction === 'outbound' && m.wamid === null)
  const earlier = b.customer.conversationId
    ? [{ wamid: b.ours.wamid, direction: 'outbound', type: 'text', status: 'read', timestamp: expect.any(Date), body: 'Your order shipped' }]
    : []
  expect(s.messages).toEqual([
    ...earlier,
    { wamid: b.wamids.text, direction: 'inbound', type: 'text', status: 'received', timestamp: at(b.t0), body: 'Olá! Meu pedido chegou?' },
    { wamid: b.wamids.image, direction: 'inbound', type: 'image', status: 'received', timestamp: at(b.t0 + 1), body: 'A caixa veio amassada' },
    { wamid: b.wamids.reaction, direction: 'inbound', type: 'reaction', status: 'received', timestamp: at(b.t0 + 2), body: null },
    { wamid: b.wamids.stop, direction: 'inbound', type: 'text', status: 'received', timestamp: at(b.t0 + 3), body: 'STOP' },
    { wamid: null, direction: 'outbound', type: 'text', status: 'pending', timestamp: expect.any(Date), body: DEFAULT_OPT_OUT_SETTINGS.confirmation },
  ])
  // Four customer messages unread; the last activity is the confirmation queued in the same apply.
  expect(s.conversation).toEqual({
    status: 'open',
    unreadCount: 4,
    lastMessageAt: confirmation!.timestamp,
    lastMessagePreview: DEFAULT_OPT_OUT_SETTINGS.confirmation,
    lastInboundAt: at(b.t0 + 3),
    windowEnd: at(b.t0 + 3 + 86_400),
    assigneeId: b.customer.conversationId ? acme.userId : null,
    updatedAt: expect.any(Date),
  })
  expect(s.audit).toEqual([{ keyword: 'STOP', messageId: expect.any(String), confirmationId: s.sendJobs[0] }])
  expect(s.sendJobs).toHaveLength(1)

  expect(s.ourMessage).toEqual([{ status: 'read', sentAt: at(b.t0 + 10), deliveredAt: at(b.t0 + 11), readAt: at(b.t0 + 12), failedAt: null, errorCode: null }])
  expect(s.pending).toEqual([])

  // One media row, downloaded once (one Graph lookup, one CDN download).
  expect(s.media).toEqual([{ status: 'stored', metaMediaId: b.image.id, sizeBytes: b.image.bytes.byteLength, stored: true }])
  expect(s.graph).toEqual([
    { kind: 'lookup', mediaId: b.image.id },
    { kind: 'download', mediaId: b.image.id },
  ])
  // The first apply is announced (new rows, ticks, the file arriving); what replays announce is checked by the callers.
  const told = (type: RealtimeEvent['type']) => new Set(s.realtime.filter((e) => e.type === type).flatMap(conversationsOf))
  expect(told('conversation').has(s.conversationId!)).toBe(true)
  expect(told('messages').has(s.conversationId!)).toBe(true)
  expect(told('messages').has(b.ours.conversationId)).toBe(true)
  expect(s.pushes).toBe(b.customer.conversationId ? 1 : 0)
}

describe('a replayed signed webhook', () => {
  it('is applied once: replayed after the first apply, and twice more while the worker runs', async () => {
    const b = await batch({ returning: true })

    expect((await h.post(b.raw)).status).toBe(200)
    expect(await h.drain()).toBe(1)
    const first = await stateOf(b)
    expectAppliedOnce(b, first)
    expect(first.events).toEqual({ deliveries: 1, applied: 1, failed: 0 })

    // Replay 1: the identical bytes, once the first delivery is applied.
    expect((await h.post(b.raw)).status).toBe(200)
    expect(await h.drain()).toBe(1)
    // Replays 2 and 3: arriving together while the worker is already polling.
    const worker = h.startWorker()
    const answers = await Promise.all([h.post(b.raw), h.post(b.raw)])
    await h.settled()
    expect(await worker.stop()).toMatchObject({ processed: 2, failedAlone: 0 })
    expect(answers.map((r) => r.status)).toEqual([200, 200])

    // Each replay is kept in the raw log and marked applied, and changed nothing at all (not even the
    // contact's or the conversation's updated_at).
    const after = await stateOf(b)
    expect(after.events).toEqual({ deliveries: 4, applied: 4, failed: 0 })
    expect({ ...after, events: null }).toEqual({ ...first, events: null })
  })

  it('is applied once when the first delivery and three replays race each other', async () => {
    const b = await batch({ returning: false })

    const answers = await Promise.all([h.post(b.raw), h.post(b.raw), h.post(b.raw), h.post(b.raw)])
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200])
    // One worker batch: the four stored deliveries are applied concurrently, each in its own transaction.
    expect(await h.drain()).toBe(4)

    const s = await stateOf(b)
    expectAppliedOnce(b, s)
    expect(s.events).toEqual({ deliveries: 4, applied: 4, failed: 0 })
    const [created] = await t.db.sql<{ contacts: number; conversations: number }[]>`
      select count(distinct ct.id)::int as contacts, count(c.id)::int as conversations
      from public.contacts ct left join public.conversations c on c.contact_id = ct.id
      where ct.tenant_id = ${acme.tenantId} and ct.wa_id = ${b.customer.waId}`
    expect(created).toEqual({ contacts: 1, conversations: 1 })
  })

  it('never moves a status backwards when an old status is replayed after a newer one', async () => {
    const ours = await sentMessage()
    const t0 = Math.floor(Date.now() / 1000) - 300
    const body = (s: string, ts: number) => metaBody([{ wabaId: WABA, changes: [statusesChange(NUMBER, [status(ours.wamid, s, ts, ours.waId)])] }])
    const sent = body('sent', t0)
    const delivered = body('delivered', t0 + 5)
    const read = body('read', t0 + 9)
    const row = async () =>
      (
        await t.db.sql`
          select status, sent_at as "sentAt", delivered_at as "deliveredAt", read_at as "readAt" from public.messages where id = ${ours.messageId}`
      )[0]
    const announced = async () => (await h.realtime(acme.tenantId)).filter((e) => e.type === 'messages' && e.conversationIds.includes(ours.conversationId)).length

    const inserted = await announced() // the seeded message's own insert
    // In order, each applied before the next arrives.
    for (const raw of [sent, delivered, read]) {
      expect((await h.post(raw)).status).toBe(200)
      expect(await h.drain()).toBe(1)
    }
    const afterRead = { status: 'read', sentAt: at(t0), deliveredAt: at(t0 + 5), readAt: at(t0 + 9) }
    expect(await row()).toEqual(afterRead)
    const ticks = await announced()
    expect(ticks).toBe(inserted + 2) // delivered, read (the message was already sent)

    // The old delivered bytes again, alone, then with the old sent bytes concurrently.
    expect((await h.post(delivered)).status).toBe(200)
    expect(await h.drain()).toBe(1)
    expect(await row()).toEqual(afterRead)
    expect((await Promise.all([h.post(delivered), h.post(sent), h.post(delivered)])).map((r) => r.status)).toEqual([200, 200, 200])
    expect(await h.drain()).toBe(3)

    expect(await row()).toEqual(afterRead)
    expect(await announced()).toBe(ticks)
    expect([...(await t.db.sql`select status from public.pending_statuses where wamid = ${ours.wamid}`)]).toEqual([])
    const [log] = await t.db.sql<{ applied: number; failed: number }[]>`
      select count(processed_at)::int as applied, count(error)::int as failed from public.webhook_events where signature = ${metaSignature(delivered)}`
    expect(log).toEqual({ applied: 4, failed: 0 }) // the first delivery and its three replays
  })

  it('does not roll back what a newer body recorded about the customer when an older body is replayed', async () => {
    const waId = newWaId()
    const t0 = Math.floor(Date.now() / 1000) - 900
    const tag = randomUUID()
    const body = (wamid: string, name: string, text: string, ts: number) =>
      metaBody([{ wabaId: WABA, changes: [messagesChange(NUMBER, [{ waId, name }], [{ from: waId, id: wamid, timestamp: String(ts), type: 'text', text: { body: text } }])] }])
    const older = body(`wamid.in-${tag}-1`, 'Mariana Souza', 'Oi, tudo bem?', t0)
    const newer = body(`wamid.in-${tag}-2`, 'Mariana Souza Costa', 'Mudei meu nome no WhatsApp', t0 + 60)
    const state = async () => {
      const [row] = await t.db.sql`
        select ct.profile_name as "profileName", ct.last_inbound_at as "contactLastInbound", ct.updated_at as "contactUpdatedAt",
               c.unread_count as "unreadCount", c.last_message_at as "lastMessageAt", c.last_message_preview as "preview",
               c.last_inbound_at as "lastInboundAt", c.updated_at as "conversationUpdatedAt",
               (select count(*)::int from public.messages m where m.contact_id = ct.id) as messages
        from public.contacts ct join public.conversations c on c.contact_id = ct.id
        where ct.tenant_id = ${acme.tenantId} and ct.wa_id = ${waId}`
      return row
    }

    for (const raw of [older, newer]) {
      expect((await h.post(raw)).status).toBe(200)
      expect(await h.drain()).toBe(1)
    }
    const applied = await state()
    expect(applied).toMatchObject({
      profileName: 'Mariana Souza Costa',
      contactLastInbound: at(t0 + 60),
      unreadCount: 2,
      lastMessageAt: at(t0 + 60),
      preview: 'Mudei meu nome no WhatsApp',
      lastInboundAt: at(t0 + 60),
      messages: 2,
    })

    // The older body replayed, once and then twice at the same time: not a column of either row moves.
    expect((await h.post(older)).status).toBe(200)
    expect(await h.drain()).toBe(1)
    expect((await Promise.all([h.post(older), h.post(older)])).map((r) => r.status)).toEqual([200, 200])
    expect(await h.drain()).toBe(2)
    expect(await state()).toEqual(applied)
  })

  it('refuses a replay whose bytes were altered or whose signature is missing, and stores nothing', async () => {
    const b = await batch({ returning: false })
    const signature = metaSignature(b.raw)
    const stored = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from public.webhook_events`)[0]!.n
    const before = await stored()

    const tampered = b.raw.replace('STOP', 'stop')
    expect(tampered).not.toBe(b.raw)
    expect((await h.post(tampered, signature)).status).toBe(401)
    expect((await h.post(b.raw, null)).status).toBe(401)
    expect((await h.post(b.raw, metaSignature(b.raw, 'not-the-app-secret-at-all'))).status).toBe(401)

    expect(await stored()).toBe(before)
    expect(await webhookEventStats(t.db)).toMatchObject({ pending: 0, delayed: 0, dead: 0 })
    const [rows] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from public.messages where wamid = any(${Object.values(b.wamids)}::text[])`
    expect(rows!.n).toBe(0)
  })
})

describe('accepting webhooks that arrive together', () => {
  it('stores each of many concurrent bodies exactly once, as signed, and applies every one', async () => {
    const batches = await Promise.all(Array.from({ length: 24 }, (_, i) => batch({ returning: i % 2 === 0 })))
    const before = (await t.db.sql<{ n: number }[]>`select count(*)::int as n from public.webhook_events`)[0]!.n

    // Posted all at once, as Meta does under load: the route stores those that wait together.
    const responses = await Promise.all(batches.map((b) => h.post(b.raw)))
    expect(responses.map((r) => r.status)).toEqual(batches.map(() => 200))

    const stored = await t.db.sql<{ payload: unknown; signature: string; receivedAt: Date }[]>`
      select payload, signature, received_at as "receivedAt" from public.webhook_events order by received_at, id offset ${before}`
    expect(stored).toHaveLength(batches.length)
    // Those that waited were stored together: one insert, one transaction, one received_at.
    expect(new Set(stored.map((row) => row.receivedAt.getTime())).size).toBeLessThan(batches.length)
    const bySignature = new Map(stored.map((row) => [row.signature, row.payload]))
    for (const b of batches) expect(bySignature.get(metaSignature(b.raw))).toEqual(JSON.parse(b.raw))

    expect(await h.drain()).toBe(batches.length)
    const wamids = batches.flatMap((b) => Object.values(b.wamids))
    const [applied] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from public.messages where wamid = any(${wamids}::text[])`
    expect(applied!.n).toBe(wamids.length)
  })

  it("keeps a customer's text that carries U+0000, which jsonb cannot hold, as U+FFFD instead of refusing the body", async () => {
    const waId = newWaId()
    const wamid = `wamid.in-${randomUUID()}-nul`
    const raw = metaBody([
      {
        wabaId: WABA,
        changes: [
          messagesChange(NUMBER, [{ waId, name: 'Nul' }], [{ from: waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'a\u0000b \\u0000 c' } }]),
        ],
      },
    ])
    // JSON.stringify wrote the NUL as the escape \u0000 and the backslash before the second as \\.
    expect(raw).toContain('a\\u0000b \\\\u0000 c')
    expect((await h.post(raw)).status).toBe(200)
    expect(await h.drain()).toBe(1)
    // Inbound content is stored normalised: { text, … }.
    const [message] = await t.db.sql<{ content: { text: string } }[]>`select content from public.messages where wamid = ${wamid}`
    expect(message!.content.text).toBe('a\ufffdb \\u0000 c')
  })
})
