// The real inbound webhook path, in-process, against a private test database: Meta's signed POST to the
// route handler (`/api/whatsapp/webhook`), anything it schedules with `after()` (run here once the
// response is back, as Next.js does), and the worker's webhook loop (`createWebhookWorker`) draining the
// stored payloads with the media download, the send queue and web push wired to it. What the outside
// world would see is recorded: Graph media calls (a fake `fetch` at the Graph client's edge), web push
// sends (the test file mocks `web-push`'s transport) and the realtime notifications Postgres emits.
//
// The test file must mock `next/server` (its `after` pushes into `hooks.afterTasks`) and `web-push` (its
// `sendNotification` pushes into `hooks.pushes`) before anything imports them; see the security tests.
import { createECDH, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { NextRequest } from 'next/server'
import { expect } from 'vitest'
import { conversationsOf, type RealtimeEvent, type RealtimeSignal } from '@/core/realtime/realtime-event'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { webhookEventStats } from '@/server/whatsapp/webhook-event-queue'
import { afterCommittedSignals } from '../../integration/support/committed-signals'
import type { TestDatabase } from '../../integration/support/test-database'
// Aliased: the helper is not a React hook, whatever its name tells the hooks lint rule.
import { useRouteEnvironment as configureRouteEnvironment, type RouteHandler } from '../../integration/support/route-environment'
import { TEST_ENCRYPTION_KEY } from '../../integration/support/whatsapp-tenant'

export interface HarnessHooks {
  /** Filled by the mocked `after` of `next/server`: what the route scheduled for after its response. */
  afterTasks: (() => unknown)[]
  /** Filled by the mocked `web-push` transport: every notification the worker sent. */
  pushes: { endpoint: string; payload: string }[]
}

const VAPID = createECDH('prime256v1')
VAPID.generateKeys()
const PUSH = { subject: 'mailto:push@example.test', publicKey: VAPID.getPublicKey().toString('base64url'), privateKey: VAPID.getPrivateKey().toString('base64url') }

/** Meta's signature header for these exact bytes (computed here, not with the app's own helper). */
export const metaSignature = (raw: string, secret = process.env.META_APP_SECRET!) => `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('hex')}`

/** A file a customer sent: the bytes Meta serves for its media id, and the hash its webhook announces. */
export function mediaFile() {
  const bytes = Uint8Array.from(randomBytes(96))
  return { id: String(10 ** 15 + Math.floor(Math.random() * 9 * 10 ** 15)), bytes, sha256: createHash('sha256').update(bytes).digest('base64') }
}

export async function createWebhookHarness(t: TestDatabase, hooks: HarnessHooks) {
  configureRouteEnvironment(t.url, { QUEUE_DRIVER: 'postgres', STORAGE_DIR: path.join(tmpdir(), 'unused-media') })
  const route = (await import('@/app/api/whatsapp/webhook/route')) as unknown as { POST: RouteHandler }
  const { createWebhookWorker } = await import('@/server/sending/webhook-worker')
  const hub = await import('@/server/realtime/realtime-hub')
  const { subscribeToTenant } = hub
  const { db } = await import('@/server/db/db')

  const queue = createPostgresJobQueue(t.db.sql)
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'security-webhook-media-'))

  // Meta's side of a media download: the lookup on the Graph host, then the file on its CDN.
  const files = new Map<string, Uint8Array<ArrayBuffer>>()
  const graphCalls: { kind: 'lookup' | 'download'; mediaId: string }[] = []
  const fakeFetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.hostname === 'graph.facebook.com') {
      const mediaId = url.pathname.split('/').pop()!
      graphCalls.push({ kind: 'lookup', mediaId })
      const bytes = files.get(mediaId)
      if (!bytes) return Response.json({ error: { message: 'Unsupported get request', type: 'GraphMethodException', code: 100 } }, { status: 400 })
      return Response.json({
        messaging_product: 'whatsapp',
        id: mediaId,
        url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${mediaId}`,
        mime_type: 'image/jpeg',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        file_size: bytes.byteLength,
      })
    }
    if (url.hostname === 'lookaside.fbsbx.com') {
      const mediaId = url.searchParams.get('mid') ?? ''
      graphCalls.push({ kind: 'download', mediaId })
      const bytes = files.get(mediaId)
      return bytes ? new Response(bytes, { headers: { 'content-type': 'image/jpeg', 'content-length': String(bytes.byteLength) } }) : new Response('', { status: 404 })
    }
    return new Response('', { status: 404 })
  }

  const deps = {
    db: t.db,
    graph: createGraphClient({ baseUrl: 'https://graph.facebook.com', version: 'v23.0', fetch: fakeFetch }),
    storage: createFilesystemStorage(mediaDir),
    encryptionKey: TEST_ENCRYPTION_KEY,
    queue,
    push: PUSH,
  }

  // Every realtime notification of the workspaces subscribed, through the app's own hub (LISTEN).
  const heard: RealtimeEvent[] = []
  const unsubscribe: (() => void)[] = []
  const sentinels = new Set<string>()

  /** Waits until no stored delivery waits: every one applied (or, which a test would see, failed). */
  async function settled() {
    await expect
      .poll(
        async () => {
          const s = await webhookEventStats(t.db)
          return s.pending + s.delayed + s.dead
        },
        { timeout: 20_000, interval: 25 },
      )
      .toBe(0)
  }

  /** Starts the worker's webhook loop; `stop()` waits for it to finish and reports its counters. */
  function startWorker() {
    const worker = createWebhookWorker(deps)
    void worker.start()
    return {
      async stop() {
        await worker.stop()
        return { ...worker.counters }
      },
    }
  }

  /** Runs the worker until the queue is empty; answers how many deliveries it applied. */
  async function drain() {
    const worker = startWorker()
    let counters
    try {
      await settled()
    } finally {
      counters = await worker.stop()
    }
    expect(counters).toMatchObject({ failedAlone: 0 })
    return counters.processed
  }

  return {
    queue,
    graphCalls,
    serveMedia(file: { id: string; bytes: Uint8Array<ArrayBuffer> }) {
      files.set(file.id, file.bytes)
    },

    /** POSTs the raw bytes to the webhook route as Meta does, then runs what it scheduled after the response. */
    async post(raw: string, signature: string | null = metaSignature(raw)) {
      const req = new NextRequest('http://localhost/api/whatsapp/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
        body: raw,
      })
      const res = await route.POST(req, { params: Promise.resolve({}) })
      const tasks = hooks.afterTasks.splice(0)
      for (const task of tasks) await task()
      return res
    },

    settled,
    startWorker,
    drain,

    async listen(tenantId: string) {
      unsubscribe.push(
        await subscribeToTenant(tenantId, (signal: RealtimeSignal) => {
          if (signal.type !== 'resync' && !conversationsOf(signal).every((id) => sentinels.has(id))) heard.push(signal)
        }),
      )
    },

    /**
     * Every realtime notification committed so far, once all have arrived: a sentinel NOTIFY sent now is
     * delivered after everything committed before it (Postgres delivers in commit order).
     */
    async realtime(tenantId: string) {
      const marker = randomUUID()
      sentinels.add(marker)
      await afterCommittedSignals(t.db.sql, hub, tenantId, marker)
      return heard.filter((e) => e.tenantId === tenantId)
    },

    async close() {
      for (const stop of unsubscribe) stop()
      await db().end()
      await rm(mediaDir, { recursive: true, force: true })
    },
  }
}

export type WebhookHarness = Awaited<ReturnType<typeof createWebhookHarness>>

// ---------- Meta's payload shapes ----------

export interface MetaNumber {
  phoneNumberId: string
  display: string
}

export const messagesChange = (number: MetaNumber, contacts: { waId: string; name: string }[], messages: Record<string, unknown>[]) => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: number.display.replace(/\D/g, ''), phone_number_id: number.phoneNumberId },
    contacts: contacts.map((c) => ({ profile: { name: c.name }, wa_id: c.waId })),
    messages,
  },
})

export const statusesChange = (number: MetaNumber, statuses: Record<string, unknown>[]) => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: number.display.replace(/\D/g, ''), phone_number_id: number.phoneNumberId },
    statuses,
  },
})

export const status = (wamid: string, s: string, ts: number, recipient: string, extra: Record<string, unknown> = {}) => ({
  id: wamid,
  status: s,
  timestamp: String(ts),
  recipient_id: recipient,
  ...(s === 'failed' ? {} : { pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' } }),
  ...extra,
})

/** The bytes Meta would POST: one body, its entries as given. */
export const metaBody = (entries: { wabaId: string; changes: unknown[] }[]) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: entries.map((e) => ({ id: e.wabaId, changes: e.changes })) })
