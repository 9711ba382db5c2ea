// The server's Graph-facing code against the Meta emulator (started in this process) and a private
// database: connecting a number, replies inside and outside the 24-hour window, retries and stored
// failures, status and template webhooks, inbound media downloads, the straggler sweep and template
// deletion. A local HTTP receiver plays the webhook route: it checks Meta's signature, appends the
// payload to webhook_events and applies it with processWebhookEvent before answering, so a control
// call that injects a webhook returns once its effects are in the database.
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/core/errors/app-error'
import { queueOutboundMessage, type OutboundInput } from '@/core/inbox/queue-outbound-message'
import { createTenant } from '@/core/tenancy/create-tenant'
import { createGraphClient, type GraphClient } from '@/core/whatsapp/graph-client'
import { undiciExchange } from '@/server/whatsapp/undici-exchange'
import type { TemplateDraft } from '@/core/whatsapp/template-draft'
import { verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'
import type { Tx } from '@/server/db/create-db'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import type { Storage } from '@/server/storage/storage'
import { openAccessToken, sealAccessToken } from '@/server/whatsapp/access-token'
import { connectNumber, type ConnectNumberInput } from '@/server/whatsapp/connect-number'
import { fetchInboundMedia } from '@/server/whatsapp/fetch-inbound-media'
import { ingestStoredEvent, processWebhookEvent } from '@/server/whatsapp/process-webhook-event'
import { sweepStragglers } from '@/server/whatsapp/sweep-stragglers'
import { createSendEngine, type SendEngine } from '@/server/sending/engine'
import { sendJob } from '@/server/sending/hand-off'
import { sendsTotal } from '@/server/sending/queue-stats'
import { sendQueueFor } from '@/core/sending/job-queue'
import { createSendWorker } from '@/server/sending/send-worker'
import { createWebhookWorker } from '@/server/sending/webhook-worker'
import { webhookEventStats } from '@/server/whatsapp/webhook-event-queue'
import type { RetryPolicy } from '@/core/sending/failure-policy'
import { createTemplate, deleteTemplate, syncTemplates } from '@/server/whatsapp/template-actions'
import { startMetaEmulator, type MetaEmulator } from '../../dev/meta-emulator/server'
import { createUser } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { emulatorControl } from './support/emulator-control'
import { TEST_ENCRYPTION_KEY } from './support/whatsapp-tenant'

const APP_SECRET = 'cloud-api-outbound-app-secret'
const WABA = '104857293847561'
// The main workspace's number, which most tests use; numbers of a WABA of their own for the tests that change
// what Meta holds for their number (SPARE's token gets rotated) or count what it holds (SHOP's templates); and
// a number of another WABA that is connected through connectNumber.
const MAIN = {
  phoneNumberId: '106540352242922',
  wabaId: WABA,
  accessToken: 'EAAGmain-number-token-000001',
  displayPhoneNumber: '+1 555-010-0001',
  verifiedName: 'Demo Coffee Co.',
}
const SPARE = { ...MAIN, phoneNumberId: '108374652019283', wabaId: '104857293847562', accessToken: 'EAAGspare-number-token-00002', displayPhoneNumber: '+1 555-010-0002' }
const SHOP = { ...MAIN, phoneNumberId: '108374652019284', wabaId: '104857293847563', accessToken: 'EAAGshop-number-token-000004', displayPhoneNumber: '+1 555-010-0004' }
const FRESH = {
  phoneNumberId: '120000000000001',
  wabaId: '220000000000001',
  accessToken: 'EAAGfresh-number-token-00003',
  displayPhoneNumber: '+44 7700 900123',
  verifiedName: 'Fresh Tea Ltd',
  mps: 1000,
  qualityRating: 'YELLOW' as const,
  messagingLimitTier: 'TIER_10K',
}
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

type Workspace = Awaited<ReturnType<typeof createUser>> & { tenantId: string }
type WebhookBody = { entry?: { changes?: { value?: { statuses?: { id: string; status: string }[] } }[] }[] }
interface SentRecord {
  wamid: string
  to: string
  waId: string
  type: string
  body: Record<string, unknown>
}

let t: TestDatabase
let emulator: MetaEmulator
let receiver: Server
let graph: GraphClient
let storage: Storage
let mediaDir: string
let acme: Workspace

// What the receiver saw: errors it hit, and for each status webhook the message's stored status right after it was applied.
const receiverErrors: string[] = []
const statusTrail: { wamid: string; webhook: string; stored: string | undefined }[] = []
// When set, the receiver only appends to webhook_events, as if the process died before applying the payload.
let deferProcessing = false
let customerSeq = 0
const nextCustomer = () => `55119${String(70_000_000 + customerSeq++)}`

let engine: SendEngine
const deps = () => ({ db: t.db, graph, storage, encryptionKey: TEST_ENCRYPTION_KEY, ...engine })
const QUICK_RETRIES: RetryPolicy = { baseMs: 5, capMs: 20, maxAttempts: 4 }

/** Enqueues the message, runs the send worker until the queue is empty (sent, failed or dead-lettered), and returns the row. */
async function deliver(messageId: string, retry: RetryPolicy = QUICK_RETRIES) {
  const [m] = await t.db.sql<{ phoneNumberId: string }[]>`
    select n.phone_number_id as "phoneNumberId" from public.messages m join public.whatsapp_numbers n on n.id = m.number_id where m.id = ${messageId}`
  await engine.queue.enqueue(sendQueueFor(m!.phoneNumberId), [sendJob(messageId)])
  await drainSends(retry)
  return (await messageRow(messageId))!
}

async function drainSends(retry: RetryPolicy = QUICK_RETRIES) {
  // The emulator's pair rate is off here; the worker's is near-off so retries to one customer run at once.
  const worker = createSendWorker(deps(), { retry, idleMinMs: 5, idleMaxMs: 10, breaker: { threshold: 100, openMs: 10 }, pairIntervalMs: 1, pairBurst: 45 })
  void worker.start()
  try {
    await waitFor('the sends queue to drain', async () => {
      const q = await sendsTotal(engine.queue)
      return q.pending + q.delayed + q.processing === 0
    }, 10_000)
  } finally {
    await worker.stop()
  }
}

// Webhooks are applied one at a time in the order they arrive, so each trail entry shows the state its own
// webhook left, however slowly a loaded machine applies them.
let receiving: Promise<unknown> = Promise.resolve()
function receive(raw: Buffer, signature: string | undefined): Promise<number> {
  const next = receiving.then(() => applyReceived(raw, signature))
  receiving = next.catch(() => undefined)
  return next
}

async function applyReceived(raw: Buffer, signature: string | undefined): Promise<number> {
  if (!verifyWebhookSignature(raw, signature, APP_SECRET)) return 401
  const payload = JSON.parse(raw.toString('utf8')) as WebhookBody
  const [event] = await t.db.sql<{ id: string }[]>`
    insert into public.webhook_events (payload, signature) values (${t.db.sql.json(payload as never)}, ${signature!}) returning id`
  if (deferProcessing) return 200
  await processWebhookEvent(event!.id, deps())
  for (const s of (payload.entry ?? []).flatMap((e) => (e.changes ?? []).flatMap((c) => c.value?.statuses ?? []))) {
    const [m] = await t.db.sql`select status from public.messages where wamid = ${s.id}`
    statusTrail.push({ wamid: s.id, webhook: s.status, stored: m?.status })
  }
  return 200
}

const control = emulatorControl(() => emulator.url)

const sentTo = async (waId: string) => (await control<{ data: SentRecord[] }>(`sent?to=${waId}`)).data
// What reached Meta's send endpoint for a number: accepted sends and rejections by error code.
async function sendAttempts(phoneNumberId = MAIN.phoneNumberId) {
  const { numbers } = await control<{ numbers: Record<string, { accepted: number; rejected: Record<string, number> }> }>('stats')
  return { accepted: numbers[phoneNumberId]!.accepted, rejected: numbers[phoneNumberId]!.rejected }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const messageRow = async (id: string) => (await t.db.sql`select * from public.messages where id = ${id}`)[0]
const messageWithStatus = (id: string, status: string) =>
  waitFor(`message ${id} to be ${status}`, async () => {
    const m = await messageRow(id)
    return m?.status === status && m
  })

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function workspace(label: string): Promise<Workspace> {
  const user = await createUser(t.db, label)
  const tenantId = await t.db.withUser(user.claims, (tx) => createTenant(tx, { name: `${label} workspace`, timezone: 'UTC' }))
  return { ...user, tenantId }
}

/**
 * A workspace with the number stored as connected under an account for its WABA, as connectNumber leaves it,
 * and the number registered at Meta (which gives a WABA new to it Meta's sample templates).
 */
async function connectedWorkspace(label: string, number: typeof MAIN): Promise<Workspace> {
  await control('numbers', number)
  const who = await workspace(label)
  await t.db.withService(async (tx) => {
    const [account] = await tx`insert into public.whatsapp_business_accounts (tenant_id, waba_id) values (${who.tenantId}, ${number.wabaId}) returning id`
    await tx`
      insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, display_phone_number, access_token_ciphertext, status)
      values (${who.tenantId}, ${account!.id}, ${number.phoneNumberId}, ${number.displayPhoneNumber},
              ${sealAccessToken(number.accessToken, number.phoneNumberId, TEST_ENCRYPTION_KEY)}, 'connected')`
  })
  return who
}

const connect = (who: Workspace, input: Omit<ConnectNumberInput, 'sharedWithBusinessApp'>) =>
  t.db.withUser(who.claims, (tx) =>
    connectNumber(tx, who.tenantId, { sharedWithBusinessApp: false, ...input }, { graph, encryptionKey: TEST_ENCRYPTION_KEY }),
  )

// The customer writes to one of our numbers; returns the conversation the webhook opened.
async function customerWrites(body: string, from = nextCustomer(), number = MAIN) {
  const result = await control<{ wamid: string; delivered: boolean; status: number }>('inbound', {
    phoneNumberId: number.phoneNumberId,
    from,
    profileName: 'Mariana Souza',
    type: 'text',
    text: { body },
  })
  expect(result).toMatchObject({ delivered: true, status: 200 })
  const [conversation] = await t.db.sql`
    select c.* from public.conversations c
    join public.contacts ct on ct.id = c.contact_id join public.whatsapp_numbers n on n.id = c.number_id
    where ct.wa_id = ${from} and n.phone_number_id = ${number.phoneNumberId}`
  expect(conversation, `conversation with ${from}`).toBeDefined()
  return { waId: from, wamid: result.wamid, conversationId: conversation!.id as string, conversation: conversation! }
}

// A workspace's owner (the main workspace's unless given), under RLS as the routes run.
const asUser = <T,>(fn: (tx: Tx) => Promise<T>, who = acme) => t.db.withUser(who.claims, fn)
const queue = (conversationId: string, input: OutboundInput, who = acme) =>
  asUser((tx) => queueOutboundMessage(tx, { tenantId: who.tenantId, conversationId, userId: who.userId, input }), who)
const text = (body: string): OutboundInput => ({ type: 'text', text: { body } })
const template = (name: string, bodyParams?: string[]): OutboundInput => ({
  type: 'template',
  template: {
    name,
    language: { code: 'en_US' },
    ...(bodyParams ? { components: [{ type: 'body', parameters: bodyParams.map((v) => ({ type: 'text', text: v })) }] } : {}),
  },
})

const deliverySlot: TemplateDraft = {
  name: 'delivery_slot',
  language: 'en_US',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your delivery is booked for {{2}}.', example: { body_text: [['Ana', 'Saturday 10:00']] } }],
}

describe('outbound Cloud API calls against the Meta emulator', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    engine = createSendEngine({ QUEUE_DRIVER: 'postgres' }, t.db.sql)
    mediaDir = await mkdtemp(path.join(tmpdir(), 'conversa-media-'))
    storage = createFilesystemStorage(mediaDir)

    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        receive(Buffer.concat(chunks), req.headers['x-hub-signature-256'] as string | undefined).then(
          (status) => res.writeHead(status).end(),
          (error: unknown) => {
            receiverErrors.push(String(error))
            res.writeHead(500).end()
          },
        )
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    emulator = await startMetaEmulator({
      port: 0,
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/whatsapp/webhook`,
      appSecret: APP_SECRET,
      // The other numbers are registered with their workspaces.
      numbers: [FRESH],
      // In order: sent, delivered, read (the receiver applies them one at a time as they arrive).
      statusDelays: { sent: 30, delivered: 250, read: 500 },
      jitterMs: 0,
      pairRateWindowMs: 0,
      // Templates are approved explicitly through the control API.
      templateApprovalMs: 600_000,
      webhookRetryDelaysMs: [50, 100],
    })
    graph = createGraphClient({ baseUrl: emulator.url, version: 'v23.0', timeoutMs: 5000, exchange: undiciExchange })

    acme = await connectedWorkspace('acme', MAIN)
  })

  afterAll(async () => {
    await emulator?.stop()
    await new Promise((resolve) => receiver?.close(resolve))
    await t?.drop()
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true })
  })

  afterEach(() => {
    deferProcessing = false
    expect(receiverErrors.splice(0)).toEqual([])
  })

  it('connectNumber proves the token and the WABA with Meta, stores it sealed with Meta facts, and refuses wrong tokens and taken numbers', async () => {
    const fresh = await workspace('fresh')
    const input = { phoneNumberId: FRESH.phoneNumberId, wabaId: FRESH.wabaId, accessToken: FRESH.accessToken }
    const stored = () => t.db.sql`
      select n.*, a.tenant_id as account_tenant, a.messaging_limit_tier, a.name as account_name
      from public.whatsapp_numbers n join public.whatsapp_business_accounts a on a.id = n.account_id
      where n.phone_number_id = ${FRESH.phoneNumberId}`

    const wrong = await rejection(connect(fresh, { ...input, accessToken: 'EAAGnot-the-right-token-0000' }))
    expect(wrong.code).toBe('validation_failed')
    expect(wrong.details).toEqual({ check: 'number', code: 190 })
    expect(wrong.message).toContain('Invalid OAuth access token')
    expect(await stored()).toHaveLength(0)
    expect(await t.db.sql`select 1 from public.whatsapp_business_accounts where waba_id = ${FRESH.wabaId}`).toHaveLength(0)

    const number = await connect(fresh, input)
    expect(number).toMatchObject({
      phoneNumberId: FRESH.phoneNumberId,
      displayPhoneNumber: FRESH.displayPhoneNumber,
      verifiedName: FRESH.verifiedName,
      throughputMps: 1000,
      qualityRating: 'YELLOW',
      status: 'connected',
    })
    const [row] = await stored()
    expect(row).toMatchObject({ tenant_id: fresh.tenantId, account_tenant: fresh.tenantId, messaging_limit_tier: 'TIER_10K', account_name: FRESH.verifiedName })
    expect(row!.access_token_ciphertext).not.toContain(FRESH.accessToken)
    expect(openAccessToken(row!.access_token_ciphertext, FRESH.phoneNumberId, TEST_ENCRYPTION_KEY)).toBe(FRESH.accessToken)
    // Connecting subscribed our app to the WABA's webhooks at Meta.
    const { wabas } = await control<{ wabas: { subscribedApps: unknown[] }[] }>(`wabas?wabaId=${FRESH.wabaId}`)
    expect(wabas[0]!.subscribedApps).toHaveLength(1)

    // Another workspace holding a token that proves the account still cannot take it (409 once proven); the number
    // claimed under a WABA Meta does not list it in is refused unproven; and once Meta moves the number to another
    // WABA, a proven claim of it under that WABA is refused as taken. Nothing of any of it is kept.
    const rival = await workspace('rival')
    const takenAccount = await rejection(connect(rival, input))
    expect(takenAccount.code).toBe('conflict')
    const unproven = await rejection(connect(rival, { ...input, wabaId: '230000000000009' }))
    expect(unproven).toMatchObject({ code: 'validation_failed', details: { check: 'waba', code: 100 } })
    await control('numbers', { ...FRESH, wabaId: '230000000000009' })
    try {
      const takenNumber = await rejection(connect(rival, { ...input, wabaId: '230000000000009' }))
      expect(takenNumber.code).toBe('conflict')
      expect(takenNumber.message).toContain('phone number')
    } finally {
      await control('numbers', FRESH)
    }
    expect(await t.db.sql`select 1 from public.whatsapp_business_accounts where waba_id = '230000000000009'`).toHaveLength(0)
    const [after] = await stored()
    expect(after).toMatchObject({ tenant_id: fresh.tenantId, access_token_ciphertext: row!.access_token_ciphertext })
  })

  it('an inbound text opens the window; the reply is sent once, then delivered and read by status webhooks', async () => {
    const { waId, conversationId, conversation } = await customerWrites('Olá! Vocês entregam no sábado?')
    expect(conversation).toMatchObject({ tenant_id: acme.tenantId, status: 'open', unread_count: 1 })
    expect(conversation.service_window_expires_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000)

    const queued = await queue(conversationId, text('Sim, entregamos no sábado!'))
    expect(queued.status).toBe('pending')
    const delivered = await deliver(queued.id)
    expect(delivered).toMatchObject({ wamid: expect.stringMatching(/^wamid\./), direction: 'outbound', sent_by: acme.userId })
    expect(['sent', 'delivered', 'read']).toContain(delivered.status)
    const wamid = delivered.wamid as string

    const sent = await sentTo(waId)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ wamid, waId, type: 'text', body: { messaging_product: 'whatsapp', to: waId, type: 'text', text: { body: 'Sim, entregamos no sábado!' } } })

    const read = await messageWithStatus(queued.id, 'read')
    expect(read.sent_at).toBeInstanceOf(Date)
    expect(read.delivered_at).toBeInstanceOf(Date)
    expect(read.read_at.getTime()).toBeGreaterThanOrEqual(read.delivered_at.getTime())
    // The row turns `read` before the receiver records what it saw: wait for that record itself.
    await waitFor('the read webhook to be recorded', async () => statusTrail.some((s) => s.wamid === wamid && s.webhook === 'read'))
    const trail = statusTrail.filter((s) => s.wamid === wamid).map(({ webhook, stored }) => ({ webhook, stored }))
    expect(trail.slice(1)).toEqual([
      { webhook: 'delivered', stored: 'delivered' },
      { webhook: 'read', stored: 'read' },
    ])

    // The same job again (a re-delivered queue message) finds the message sent and sends nothing.
    await deliver(queued.id)
    expect(await sentTo(waId)).toHaveLength(1)
    expect((await messageRow(queued.id))!.status).toBe('read')
  })

  it('outside the window only approved templates with the right parameters are queued, and they are sent', async () => {
    // A WABA of its own holds exactly Meta's sample templates, whatever other tests create at Meta.
    const shop = await connectedWorkspace('shop', SHOP)
    const { waId, conversationId } = await customerWrites('Oi', nextCustomer(), SHOP)
    await control('set-window', { phoneNumberId: SHOP.phoneNumberId, waId, hoursAgo: 25 })
    await t.db.sql`
      update public.conversations set last_inbound_at = now() - interval '25 hours', service_window_expires_at = now() - interval '1 hour'
      where id = ${conversationId}`
    const outboundCount = async () => (await t.db.sql`select count(*)::int as n from public.messages where conversation_id = ${conversationId} and direction = 'outbound'`)[0]!.n

    const closed = await rejection(queue(conversationId, text('Still there?'), shop))
    expect(closed.code).toBe('service_window_closed')
    expect((await rejection(queue(conversationId, template('hello_world'), shop))).message).toContain('not synced')
    expect(await outboundCount()).toBe(0)

    const synced = await asUser((tx) => syncTemplates(tx, shop.tenantId, { graph, encryptionKey: TEST_ENCRYPTION_KEY }), shop)
    expect(synced).toEqual([{ wabaId: SHOP.wabaId, upserted: 3, removed: 0 }])
    const hello = await queue(conversationId, template('hello_world'), shop)
    expect((await deliver(hello.id)).wamid).toMatch(/^wamid\./)

    const created = await asUser((tx) => createTemplate(tx, shop.tenantId, SHOP.wabaId, deliverySlot, { graph, encryptionKey: TEST_ENCRYPTION_KEY }), shop)
    expect(created).toMatchObject({ name: 'delivery_slot', status: 'PENDING' })
    expect((await rejection(queue(conversationId, template('delivery_slot', ['Ana', 'Saturday 10:00']), shop))).message).toContain('PENDING')
    const approval = await control('template-status', { wabaId: SHOP.wabaId, name: 'delivery_slot', language: 'en_US', status: 'APPROVED' })
    expect(approval).toMatchObject({ delivered: true, httpStatus: 200 })
    expect((await t.db.sql`select status from public.templates where id = ${created!.id}`)[0]!.status).toBe('APPROVED')

    const attemptsBefore = await sendAttempts(SHOP.phoneNumberId)
    for (const params of [['Ana'], ['Ana', 'Saturday', 'extra'], undefined]) {
      const refused = await rejection(queue(conversationId, template('delivery_slot', params), shop))
      expect(refused.code, JSON.stringify(params)).toBe('validation_failed')
      expect(refused.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('template') })]))
    }
    expect(await sendAttempts(SHOP.phoneNumberId)).toEqual(attemptsBefore)
    expect(await outboundCount()).toBe(1)

    const slot = await queue(conversationId, template('delivery_slot', ['Ana', 'Saturday 10:00']), shop)
    expect((await deliver(slot.id)).wamid).toMatch(/^wamid\./)
    const sent = await sentTo(waId)
    expect(sent.map((s) => s.type)).toEqual(['template', 'template'])
    expect(sent[1]!.body).toMatchObject({ template: { name: 'delivery_slot', components: [{ type: 'body', parameters: [{ text: 'Ana' }, { text: 'Saturday 10:00' }] }] } })
    await messageWithStatus(hello.id, 'read')
    await messageWithStatus(slot.id, 'read')
  })

  it('a transient Meta error is retried and then sent; when it persists the message fails with the reason', async () => {
    const { waId, conversationId } = await customerWrites('Is my order ready?')
    await control('fail-number', { phoneNumberId: MAIN.phoneNumberId, code: 131000, count: 2 })
    const before = await sendAttempts()
    const message = await queue(conversationId, text('Almost, 5 more minutes.'))
    expect((await deliver(message.id)).wamid).toMatch(/^wamid\./)
    expect((await sendAttempts()).rejected['131000']).toBe((before.rejected['131000'] ?? 0) + 2)
    expect(await sentTo(waId)).toHaveLength(1)
    await messageWithStatus(message.id, 'read')

    await control('fail-number', { phoneNumberId: MAIN.phoneNumberId, code: 131000, count: 10 })
    const beforeExhaustion = await sendAttempts()
    const doomed = await queue(conversationId, text('Ready now!'))
    const failed = await deliver(doomed.id)
    await control('fail-number', { phoneNumberId: MAIN.phoneNumberId, durationMs: 0 })
    expect((await sendAttempts()).rejected['131000']).toBe(beforeExhaustion.rejected['131000']! + QUICK_RETRIES.maxAttempts)
    const [dead] = await engine.queue.listDead<{ messageId: string }>(sendQueueFor(MAIN.phoneNumberId), 10)
    expect(dead).toMatchObject({ id: doomed.id, attempts: QUICK_RETRIES.maxAttempts, reason: expect.stringContaining('131000') })
    expect(failed).toMatchObject({ status: 'failed', error_code: 131000, error_title: 'Something went wrong', wamid: null })
    expect(failed!.error_details).toContain('Meta had an unexpected problem')
    expect(failed!.failed_at).toBeInstanceOf(Date)
    expect(await sentTo(waId)).toHaveLength(1)
    expect((await t.db.sql`select status from public.whatsapp_numbers where phone_number_id = ${MAIN.phoneNumberId}`)[0]!.status).toBe('connected')
  })

  it('permanent failures are stored: undeliverable by webhook (131026), invalid parameter at once (100)', async () => {
    const lost = await customerWrites('Hello?')
    await control('undeliverable', { waId: lost.waId })
    const toLost = await queue(lost.conversationId, text('We are open until 6pm.'))
    expect((await deliver(toLost.id)).wamid).toMatch(/^wamid\./)
    const undeliverable = await messageWithStatus(toLost.id, 'failed')
    expect(undeliverable).toMatchObject({ error_code: 131026, error_title: 'Message undeliverable' })
    expect(undeliverable.error_details).toContain('WhatsApp could not deliver this to the customer')
    expect(undeliverable.failed_at).toBeInstanceOf(Date)

    const { waId, conversationId } = await customerWrites('Can you send a photo of the menu?')
    const beforeInvalid = await sendAttempts()
    const photo = await queue(conversationId, { type: 'image', image: { id: '1234567890123456', caption: 'Our menu' } })
    const invalid = await deliver(photo.id)
    // A permanent error is final at once: one attempt, no dead letter.
    expect((await sendAttempts()).rejected['100']).toBe((beforeInvalid.rejected['100'] ?? 0) + 1)
    expect((await engine.queue.listDead<{ messageId: string }>(sendQueueFor(MAIN.phoneNumberId), 100)).map((d) => d.id)).not.toContain(photo.id)
    expect(invalid).toMatchObject({ status: 'failed', error_code: 100, error_title: 'Invalid parameter', wamid: null })
    expect(invalid!.error_details).toContain('Meta rejected part of this message')
    expect(invalid!.error_details).toContain("image['id']")
    expect(await sentTo(waId)).toHaveLength(0)
  })

  it('a token Meta rejects (190) fails the message and flags the number until it is reconnected', async () => {
    // The token rotated at Meta is of a number of its own.
    const spare = await connectedWorkspace('spare', SPARE)
    const { waId, conversationId } = await customerWrites('Hi there', nextCustomer(), SPARE)
    await control('numbers', { ...SPARE, accessToken: 'EAAGspare-rotated-token-0009' })
    const message = await queue(conversationId, text('Hello from the spare line'), spare)
    const failed = await deliver(message.id, { ...QUICK_RETRIES, maxAttempts: 2 })
    expect(failed).toMatchObject({ status: 'failed', error_code: 190 })
    expect(failed!.error_details).toContain('reconnect')
    const [number] = await t.db.sql`select status, last_error from public.whatsapp_numbers where phone_number_id = ${SPARE.phoneNumberId}`
    expect(number).toMatchObject({ status: 'needs_attention', last_error: { code: 190 } })
    expect(await sentTo(waId)).toHaveLength(0)

    // Reconnecting with the new token clears the flag, and sending works again.
    const reconnected = await connect(spare, { phoneNumberId: SPARE.phoneNumberId, wabaId: SPARE.wabaId, accessToken: 'EAAGspare-rotated-token-0009' })
    expect(reconnected).toMatchObject({ status: 'connected' })
    const [fixed] = await t.db.sql`select last_error, access_token_ciphertext from public.whatsapp_numbers where phone_number_id = ${SPARE.phoneNumberId}`
    expect(fixed!.last_error).toBeNull()
    expect(openAccessToken(fixed!.access_token_ciphertext, SPARE.phoneNumberId, TEST_ENCRYPTION_KEY)).toBe('EAAGspare-rotated-token-0009')
    const retry = await queue(conversationId, text('Hello again from the spare line'), spare)
    expect((await deliver(retry.id)).wamid).toMatch(/^wamid\./)
    expect(await sentTo(waId)).toHaveLength(1)
    await messageWithStatus(retry.id, 'read')
  })

  it('an inbound image is downloaded into storage; a download whose sha256 does not match is kept pending for retry', async () => {
    const from = nextCustomer()
    const inbound = await control<{ wamid: string; mediaId: string; delivered: boolean }>('inbound', {
      phoneNumberId: MAIN.phoneNumberId,
      from,
      type: 'image',
      image: { data: PNG.toString('base64'), mime_type: 'image/png', caption: 'damaged box' },
    })
    expect(inbound.delivered).toBe(true)
    const [media] = await t.db.sql`
      select md.*, m.type, m.content->>'caption' as caption from public.media md join public.messages m on m.id = md.message_id
      where md.meta_media_id = ${inbound.mediaId}`
    expect(media).toMatchObject({
      tenant_id: acme.tenantId,
      status: 'stored',
      mime_type: 'image/png',
      sha256: createHash('sha256').update(PNG).digest('hex'),
      storage_path: `${acme.tenantId}/media/${media!.id}`,
      error: null,
      type: 'image',
      caption: 'damaged box',
    })
    expect(Number(media!.size_bytes)).toBe(PNG.length)
    const object = await storage.get(media!.storage_path)
    expect(object?.contentType).toBe('image/png')
    expect(Buffer.from(object!.bytes).equals(PNG)).toBe(true)

    // Applied without downloading (as the web process would before its after-work), then fetched with a wrong expected hash.
    deferProcessing = true
    const other = Buffer.concat([PNG, Buffer.from('trailing bytes')])
    const second = await control<{ wamid: string; mediaId: string }>('inbound', {
      phoneNumberId: MAIN.phoneNumberId,
      from,
      type: 'image',
      image: { data: other.toString('base64'), mime_type: 'image/png' },
    })
    const [event] = await t.db.sql`select id from public.webhook_events where payload::text like ${`%${second.wamid}%`} and processed_at is null`
    const ingested = await ingestStoredEvent(t.db, event!.id)
    expect(ingested?.mediaToFetch).toHaveLength(1)
    const rowId = ingested!.mediaToFetch[0]!
    const [announced] = await t.db.sql`select sha256 from public.media where id = ${rowId}`
    await t.db.sql`update public.media set sha256 = ${createHash('sha256').update(PNG).digest('base64')} where id = ${rowId}`

    expect(await fetchInboundMedia(deps(), rowId)).toBe('retry')
    const [pending] = await t.db.sql`select status, error, storage_path from public.media where id = ${rowId}`
    expect(pending).toMatchObject({ status: 'pending', storage_path: null, error: expect.stringContaining('sha256 mismatch') })
    expect(await storage.get(`${acme.tenantId}/media/${rowId}`)).toBeNull()

    await t.db.sql`update public.media set sha256 = ${announced!.sha256} where id = ${rowId}`
    expect(await fetchInboundMedia(deps(), rowId)).toBe('stored')
    expect(Buffer.from((await storage.get(`${acme.tenantId}/media/${rowId}`))!.bytes).equals(other)).toBe(true)
  })

  it('sweepStragglers re-enqueues a message left pending for over 30 s; the webhook worker applies stored payloads with no hand-off', async () => {
    const earlier = await customerWrites('Any news about my order?')
    const stale = await queue(earlier.conversationId, text('Your order shipped this morning.'))
    const recent = await queue(earlier.conversationId, text('Tracking link follows.'))
    await t.db.sql`update public.messages set created_at = now() - interval '45 seconds' where id = ${stale.id}`

    deferProcessing = true
    const eventFor = async (body: string) => {
      const inbound = await control<{ wamid: string }>('inbound', { phoneNumberId: MAIN.phoneNumberId, from: nextCustomer(), type: 'text', text: { body } })
      const [event] = await t.db.sql`select id from public.webhook_events where payload::text like ${`%${inbound.wamid}%`}`
      return { wamid: inbound.wamid, eventId: event!.id as string }
    }
    const first = await eventFor('Hello? Anyone?')
    const second = await eventFor('Just wrote this')
    deferProcessing = false

    expect(await sweepStragglers(deps())).toMatchObject({ outbound: 1 })
    // Sweeping again while the job waits adds nothing: hand-offs are keyed by row.
    expect(await sweepStragglers(deps())).toMatchObject({ outbound: 0 })
    // The stored rows are the webhook queue itself: the worker finds both without anyone enqueueing them.
    const webhooks = createWebhookWorker(deps())
    void webhooks.start()
    const ids = [first.eventId, second.eventId]
    await waitFor('both payloads applied', async () => (await t.db.sql`select 1 from public.webhook_events where id in ${t.db.sql(ids)} and processed_at is not null`).length === 2)
    await webhooks.stop()
    await drainSends()
    expect(await t.db.sql`select 1 from public.messages where wamid in ${t.db.sql([first.wamid, second.wamid])}`).toHaveLength(2)
    // The drained send's status webhooks may still be on their way in: once they are applied, nothing is left.
    await expect.poll(() => webhookEventStats(t.db)).toMatchObject({ pending: 0, delayed: 0, dead: 0 })

    const swept = await messageRow(stale.id)
    expect(swept!.wamid).toMatch(/^wamid\./)
    expect(['sent', 'delivered', 'read']).toContain(swept!.status)
    expect((await messageRow(recent.id))!.status).toBe('pending')
    expect((await sentTo(earlier.waId)).map((s) => s.wamid)).toEqual([swept!.wamid])

    // What the sweep left alone is still handled by the normal path.
    expect((await deliver(recent.id)).wamid).toMatch(/^wamid\./)
    await messageWithStatus(stale.id, 'read')
    await messageWithStatus(recent.id, 'read')
  })

  it('deleteTemplate removes that language of the template at Meta and marks the row DELETED', async () => {
    const templateDeps = { graph, encryptionKey: TEST_ENCRYPTION_KEY }
    const draft: TemplateDraft = {
      name: 'autumn_menu',
      language: 'en_US',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Our autumn menu is here.' }],
    }
    const english = await asUser((tx) => createTemplate(tx, acme.tenantId, WABA, draft, templateDeps))
    const portuguese = await asUser((tx) => createTemplate(tx, acme.tenantId, WABA, { ...draft, language: 'pt_BR' }, templateDeps))
    const atMeta = async () => (await graph.listTemplates(WABA, MAIN.accessToken)).filter((x) => x.name === 'autumn_menu').map((x) => x.language)
    expect((await atMeta()).sort()).toEqual(['en_US', 'pt_BR'])

    await asUser((tx) => deleteTemplate(tx, acme.tenantId, english!.id, templateDeps))
    expect(await atMeta()).toEqual(['pt_BR'])
    const rows = await t.db.sql`select id, status from public.templates where name = 'autumn_menu'`
    expect(rows.find((r) => r.id === english!.id)!.status).toBe('DELETED')
    expect(rows.find((r) => r.id === portuguese!.id)!.status).toBe('PENDING')

    const again = await rejection(asUser((tx) => deleteTemplate(tx, acme.tenantId, english!.id, templateDeps)))
    expect(again.code).toBe('validation_failed')
    expect(again.message).toContain('Meta refused')
  })
})
