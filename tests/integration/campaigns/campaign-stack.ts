// A whole campaign pipeline in one test process: a private database, the Meta emulator, a webhook
// receiver that stores and applies Meta's webhooks as the route and the webhook worker do, the send
// worker and the campaign feeder — all the real modules, only faster timings.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CampaignAction, CampaignDraft } from '@/core/campaigns/campaign-schemas'
import { funnelsOf } from '@/core/campaigns/campaign-funnel-sql'
import { createCampaign } from '@/core/campaigns/campaign-records'
import { applyCampaignAction, startCampaign } from '@/core/campaigns/campaign-lifecycle'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { undiciExchange } from '@/server/whatsapp/undici-exchange'
import { verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'
import { createCampaignFeeder, type CampaignFeederOptions } from '@/server/campaigns/campaign-feeder'
import { createSendEngine, type SendEngine } from '@/server/sending/engine'
import { createSendWorker, type SendWorker, type SendWorkerOptions } from '@/server/sending/send-worker'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { processWebhookEvent } from '@/server/whatsapp/process-webhook-event'
import { syncTemplates } from '@/server/whatsapp/template-actions'
import { startMetaEmulator, type MetaEmulator } from '../../../dev/meta-emulator/server'
import { orderUpdateCampaign } from '../../fixtures/order-update-campaign'
import { emulatorControl } from '../support/emulator-control'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { TEST_ENCRYPTION_KEY, whatsappTenant } from '../support/whatsapp-tenant'

const APP_SECRET = 'campaign-stack-app-secret'
export type StackNumber = typeof NUMBER
export const NUMBER = { phoneNumberId: '106540352242922', wabaId: '104857293847561', accessToken: 'EAAGcampaign-number-token-01', displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Demo Coffee Co.' }

export interface SentRecord {
  wamid: string
  waId: string
  body: Record<string, unknown>
  acceptedAt: string
  failure?: { code: number }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export async function startCampaignStack(options: { mps?: number; send?: Partial<SendWorkerOptions>; feeder?: Partial<CampaignFeederOptions> } = {}) {
  const mps = options.mps ?? 200
  const t: TestDatabase = await createTestDatabase()
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'campaign-media-'))
  const engine: SendEngine = createSendEngine({ QUEUE_DRIVER: 'postgres' }, t.db.sql)
  let receiver: Server | undefined
  const port = await new Promise<number>((resolve) => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const raw = Buffer.concat(chunks)
        void receive(raw, req.headers['x-hub-signature-256'] as string | undefined).then(
          (status) => res.writeHead(status).end(),
          () => res.writeHead(500).end(),
        )
      })
    }).listen(0, '127.0.0.1', () => resolve((receiver!.address() as AddressInfo).port))
  })
  const emulator: MetaEmulator = await startMetaEmulator({
    port: 0,
    appSecret: APP_SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhook`,
    numbers: [{ ...NUMBER, mps }],
    statusDelays: { sent: 10, delivered: 30, read: 60 },
    jitterMs: 5,
    autoRead: false,
    pairRateWindowMs: 0,
  })
  const graph = createGraphClient({ baseUrl: emulator.url, version: 'v23.0', timeoutMs: 5000, exchange: undiciExchange })
  const deps = { db: t.db, graph, storage: createFilesystemStorage(mediaDir), encryptionKey: TEST_ENCRYPTION_KEY, ...engine }

  async function receive(raw: Buffer, signature: string | undefined): Promise<number> {
    if (!verifyWebhookSignature(raw, signature, APP_SECRET)) return 401
    const [event] = await t.db.sql<{ id: string }[]>`
      insert into public.webhook_events (payload, signature) values (${t.db.sql.json(JSON.parse(raw.toString('utf8')) as never)}, ${signature!}) returning id`
    await processWebhookEvent(event!.id, deps)
    return 200
  }

  const newSender = (overrides: Partial<SendWorkerOptions> = {}) => {
    const worker = createSendWorker(deps, { idleMinMs: 5, idleMaxMs: 20, pairIntervalMs: 1, pairBurst: 45, ...options.send, ...overrides })
    void worker.start()
    return worker
  }
  let sender: SendWorker | null = newSender()
  const feeder = createCampaignFeeder(deps, { tickMs: 50, ...options.feeder })
  feeder.start()

  const control = emulatorControl(() => emulator.url)

  let seq = 0
  /** A workspace owning `number`, with its templates synced, and what tests do as its owner. */
  async function workspace(number: StackNumber, label: string) {
    const tenant = await whatsappTenant(t.db, label, { wabaId: number.wabaId, numbers: [{ phoneNumberId: number.phoneNumberId, display: number.displayPhoneNumber, token: number.accessToken }] })
    const numberId = tenant.numbers[number.phoneNumberId]!
    await t.db.sql`update public.whatsapp_numbers set throughput_mps = ${mps} where id = ${numberId}`
    await t.db.sql`update public.whatsapp_business_accounts set messaging_limit_tier = 'TIER_UNLIMITED' where id = ${tenant.accountId}`
    await t.db.withUser(tenant.claims, (tx) => syncTemplates(tx, tenant.tenantId, { graph, encryptionKey: TEST_ENCRYPTION_KEY }))
    const templateId = async (name: string) => (await t.db.sql<{ id: string }[]>`select id from public.templates where account_id = ${tenant.accountId} and name = ${name}`)[0]!.id
    const sent = async () => (await control<{ data: SentRecord[] }>(`sent?phoneNumberId=${number.phoneNumberId}`)).data
    return {
      tenant,
      numberId,
      templateId,
      sent,
      /** How many sends Meta accepted from the number so far. */
      accepted: async () => (await control<{ numbers: Record<string, { accepted: number }> }>('stats')).numbers[number.phoneNumberId]?.accepted ?? 0,
      /** Meta's sends to these customers. */
      async sentTo(waIds: string[]) {
        const wanted = new Set(waIds)
        return (await sent()).filter((r) => wanted.has(r.waId))
      },
      /** A text from a customer to the number, at `timestamp` (Unix seconds) when given. */
      inbound: (from: string, body: string, timestamp?: number) =>
        control('inbound', { phoneNumberId: number.phoneNumberId, from, type: 'text', text: { body }, ...(timestamp ? { timestamp } : {}) }),
      /** A campaign action as the workspace's owner would take it. */
      act: (campaignId: string, action: CampaignAction) =>
        t.db.withUser(tenant.claims, (tx) => applyCampaignAction(tx, tenant.tenantId, campaignId, action, 'the owner')),
      /** Contacts tagged `tag` with fresh Brazilian mobile numbers; answers their wa_ids in creation order. */
      async contacts(count: number, tag: string, fields: Record<string, string> = {}): Promise<string[]> {
        const waIds = Array.from({ length: count }, () => `55119${String(60_000_000 + seq++).padStart(8, '0')}`)
        await t.db.sql`
          insert into public.contacts (tenant_id, wa_id, name, tags, custom_fields)
          select ${tenant.tenantId}, w, 'Customer ' || w, ${[tag]}::text[], ${t.db.sql.json(fields)} from unnest(${waIds}::text[]) w`
        return waIds
      },
      /** Creates and starts a campaign to a tag, of `order_update` (two body values and a URL suffix) unless `template` names another. */
      async launch(draft: Partial<CampaignDraft> & { tag: string; template?: string }) {
        const { tag, template = 'order_update', ...rest } = draft
        return t.db.withUser(tenant.claims, async (tx) => {
          const id = await createCampaign(tx, tenant.tenantId, {
            ...orderUpdateCampaign(tag),
            numberId,
            templateId: await templateId(template),
            ...rest,
          })
          await startCampaign(tx, tenant.tenantId, id)
          return id
        })
      },
      funnel: async (campaignId: string) => (await t.db.withService((tx) => funnelsOf(tx, tenant.tenantId, [campaignId]))).get(campaignId)!,
    }
  }

  return {
    t,
    db: t.db,
    ...(await workspace(NUMBER, 'campaigns')),
    emulator,
    engine,
    feeder,
    get sender() {
      return sender
    },
    graph,
    control,
    /** Stops the send worker and starts a fresh one with these options, or none (null). */
    async replaceSender(overrides: Partial<SendWorkerOptions> | null = {}) {
      await sender?.stop()
      sender = overrides ? newSender(overrides) : null
    },
    /** Another workspace, owning another number (registered at Meta with the stack's MPS). */
    async addWorkspace(number: StackNumber, label: string) {
      await control('numbers', { ...number, mps })
      return workspace(number, label)
    },
    /** The campaign's recipients in feeding order. */
    async recipients(campaignId: string) {
      return t.db.sql<{ waId: string; status: string; errorCode: number | null; skipReason: string | null }[]>`
        select ct.wa_id as "waId", r.status, r.error_code as "errorCode", r.skip_reason as "skipReason"
        from public.campaign_recipient_progress r join public.contacts ct on ct.id = r.contact_id where r.campaign_id = ${campaignId} order by r.id`
    },
    async campaign(campaignId: string) {
      return (await t.db.sql<{ status: string; pausedReason: string | null }[]>`
        select status, paused_reason as "pausedReason" from public.campaigns where id = ${campaignId}`)[0]!
    },
    async stop() {
      await feeder.stop()
      await sender?.stop()
      await emulator.stop()
      await new Promise((r) => receiver!.close(r))
      await t.drop()
      await rm(mediaDir, { recursive: true, force: true })
    },
  }
}

export type CampaignStack = Awaited<ReturnType<typeof startCampaignStack>>
