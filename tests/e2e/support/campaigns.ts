// Campaign runs against the e2e stack: contacts seeded straight into its database, the demo number's
// pacing and limits bent in our database and the emulator alike, and what the emulator recorded as sent.
import { randomInt } from 'node:crypto'
import { expect, type APIRequestContext } from '@playwright/test'
import type { CampaignDraft } from '@/core/campaigns/campaign-schemas'
import { createDb, type Db } from '@/server/db/create-db'
import { testDatabaseUrl, withDatabase } from '../../integration/support/assert-local-database'
import { DEMO_NUMBER, EMULATOR } from './meta'
import { orderUpdateCampaign } from '../../fixtures/order-update-campaign'

/** The stack's own database (start-e2e-stack.ts), reached with the service connection. */
export const E2E_DATABASE_URL = withDatabase(testDatabaseUrl(), 'conversa_e2e')
export const e2eDb = () => createDb(E2E_DATABASE_URL, { max: 2 })

export interface Demo {
  tenantId: string
  numberId: string
  accountId: string
  portfolio: string
  templateId: string
}

/** The demo workspace's ids; syncs templates from the emulator first, so `order_update` exists. */
export async function demoWorkspace(request: APIRequestContext, db: Db): Promise<Demo> {
  const synced = await request.post('/api/templates/sync')
  expect(synced.status(), await synced.text()).toBe(200)
  const [row] = await db.sql<Demo[]>`
    select n.tenant_id as "tenantId", n.id as "numberId", a.id as "accountId", coalesce(a.business_id, a.id::text) as portfolio, t.id as "templateId"
    from public.whatsapp_numbers n
    join public.whatsapp_business_accounts a on a.id = n.account_id
    join public.templates t on t.account_id = a.id and t.name = 'order_update'
    where n.phone_number_id = ${DEMO_NUMBER.phoneNumberId}`
  return row!
}

/** `count` contacts tagged `tag`, with fresh Brazilian mobile numbers; answers their wa_ids in order. */
export async function seedContacts(db: Db, tenantId: string, tag: string, count: number, fields: Record<string, string> = { order: '#42' }) {
  const base = randomInt(10_000_000, 90_000_000 - count)
  const waIds = Array.from({ length: count }, (_, i) => `55219${base + i}`)
  await db.sql`
    insert into public.contacts (tenant_id, wa_id, name, tags, custom_fields)
    select ${tenantId}, w, 'Customer ' || right(w, 4), ${[tag]}::text[], ${db.sql.json(fields)} from unnest(${waIds}::text[]) w
    on conflict (tenant_id, wa_id) do nothing`
  return waIds
}

async function emulatorNumber(request: APIRequestContext) {
  const { numbers } = (await (await request.get(`${EMULATOR}/control/numbers`)).json()) as { numbers: Record<string, unknown>[] }
  const number = numbers.find((n) => n.phoneNumberId === DEMO_NUMBER.phoneNumberId)!
  // The answer carries state the upsert does not take back.
  const { phoneNumberId, wabaId, accessToken, displayPhoneNumber, verifiedName, mps, qualityRating, messagingLimitTier } = number
  return { phoneNumberId, wabaId, accessToken, displayPhoneNumber, verifiedName, mps: mps as number, qualityRating, messagingLimitTier }
}

/** Sets the demo number's MPS in our database and at the emulator; answers a function that puts both back. */
export async function setThroughput(request: APIRequestContext, db: Db, numberId: string, mps: number) {
  const before = await emulatorNumber(request)
  const [ours] = await db.sql<{ mps: number }[]>`select throughput_mps as mps from public.whatsapp_numbers where id = ${numberId}`
  const apply = async (oursMps: number, theirs: typeof before) => {
    await db.sql`update public.whatsapp_numbers set throughput_mps = ${oursMps} where id = ${numberId}`
    const res = await request.post(`${EMULATOR}/control/numbers`, { data: theirs })
    expect(res.status(), await res.text()).toBe(200)
  }
  await apply(mps, { ...before, mps })
  return () => apply(ours!.mps, before)
}

/**
 * Turns off the emulator's read receipts: a third of the status webhooks, which `next dev` on a small
 * machine cannot take at hundreds of messages a second. Answers a function that turns them back on.
 */
export async function withoutReadReceipts(request: APIRequestContext) {
  const set = async (autoRead: boolean) => expect((await request.post(`${EMULATOR}/control/config`, { data: { autoRead } })).status()).toBe(200)
  const { config } = (await (await request.get(`${EMULATOR}/control/config`)).json()) as { config: { autoRead: boolean } }
  await set(false)
  return () => set(config.autoRead)
}

/** Sets the portfolio's tier and reported limit; answers a function that puts both back. */
export async function setMessagingLimit(db: Db, accountId: string, change: { tier?: string; limit?: number | null }) {
  const [before] = await db.sql<{ tier: string; limit: number | null }[]>`
    select messaging_limit_tier as tier, messaging_limit as "limit" from public.whatsapp_business_accounts where id = ${accountId}`
  await db.sql`
    update public.whatsapp_business_accounts set messaging_limit_tier = ${change.tier ?? before!.tier},
      messaging_limit = ${change.limit === undefined ? before!.limit : change.limit} where id = ${accountId}`
  return async () => {
    await db.sql`update public.whatsapp_business_accounts set messaging_limit_tier = ${before!.tier}, messaging_limit = ${before!.limit} where id = ${accountId}`
  }
}

/** Customers reached in the portfolio's messaging-limit window. */
export async function portfolioUsed(db: Db, portfolio: string) {
  const [row] = await db.sql<{ n: number }[]>`select engine.unique_count(${`portfolio:${portfolio}`}, ${24 * 3_600_000}::double precision) as n`
  return row!.n
}

/** Takes the test's customers back out of the portfolio's messaging-limit window, so later tests start with its room. */
export async function forgetReached(db: Db, portfolio: string, waIds: string[]) {
  await db.sql`delete from engine.unique_members where key = ${`portfolio:${portfolio}`} and member = any(${waIds}::text[])`
}

/** Marks recipients undeliverable at the emulator; answers a function that clears them. */
export async function makeUndeliverable(request: APIRequestContext, waIds: string[]) {
  const set = (undeliverable: boolean) =>
    Promise.all(waIds.map(async (waId) => expect((await request.post(`${EMULATOR}/control/undeliverable`, { data: { waId, undeliverable } })).status()).toBe(200)))
  await set(true)
  return () => set(false)
}

export interface SentRecord {
  wamid: string
  waId: string
  type: string
  body: Record<string, unknown>
  failure?: { code: number }
}

/** What the emulator accepted from the demo number for these customers. */
export async function sentTo(request: APIRequestContext, waIds: string[]) {
  const wanted = new Set(waIds)
  const { data } = (await (await request.get(`${EMULATOR}/control/sent?phoneNumberId=${DEMO_NUMBER.phoneNumberId}`)).json()) as { data: SentRecord[] }
  return data.filter((r) => wanted.has(r.waId))
}

export async function acceptedCount(request: APIRequestContext) {
  const stats = (await (await request.get(`${EMULATOR}/control/stats`)).json()) as { numbers: Record<string, { accepted: number }> }
  return stats.numbers[DEMO_NUMBER.phoneNumberId]!.accepted
}

/** `order_update` (two body values and a URL suffix) to everyone tagged `tag`, as the wizard would save it. */
export async function createCampaignViaApi(request: APIRequestContext, demo: Demo, tag: string, draft: Partial<CampaignDraft> = {}) {
  const res = await request.post('/api/campaigns', {
    data: { ...orderUpdateCampaign(tag), numberId: demo.numberId, templateId: demo.templateId, ...draft },
  })
  expect(res.status(), await res.text()).toBe(201)
  return ((await res.json()) as { campaign: { id: string } }).campaign.id
}

export async function launchViaApi(request: APIRequestContext, id: string) {
  const res = await request.post(`/api/campaigns/${id}/launch`, { data: {} })
  expect(res.status(), await res.text()).toBe(200)
}

export interface CampaignState {
  status: string
  total: number
  waiting: { reason: string; message: string; count: number } | null
  funnel: { total: number; waiting: number; queued: number; sent: number; delivered: number; read: number; replied: number; failed: number; skipped: number }
}

export async function campaignState(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/campaigns/${id}`)
  expect(res.status(), await res.text()).toBe(200)
  return ((await res.json()) as { campaign: CampaignState }).campaign
}

export async function campaignAction(request: APIRequestContext, id: string, action: 'pause' | 'resume' | 'cancel') {
  const res = await request.post(`/api/campaigns/${id}/actions`, { data: { action } })
  expect(res.status(), await res.text()).toBe(200)
}

/** Stops a test's campaign if it still runs, so it never competes with the next test for the number. */
export async function cancelIfLive(request: APIRequestContext, id: string | undefined) {
  if (!id) return
  const { status } = await campaignState(request, id)
  if (status === 'running' || status === 'paused' || status === 'scheduled') await campaignAction(request, id, 'cancel')
}

/**
 * Leaves the demo workspace as the test found it: the campaign stopped, the emulator's webhooks for it
 * delivered (so later tests' inbound messages do not queue behind them), and the test's contacts gone
 * with their conversations, messages and recipient rows (so later tests' inboxes show what they expect).
 */
export async function removeCampaignTrail(request: APIRequestContext, db: Db, tenantId: string, id: string | undefined, tag: string) {
  await cancelIfLive(request, id)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { pending } = (await (await request.get(`${EMULATOR}/control/stats`)).json()) as { pending: number }
    if (pending === 0) break
    await new Promise((r) => setTimeout(r, 250))
  }
  await db.sql`delete from public.contacts where tenant_id = ${tenantId} and tags @> ${[tag]}::text[]`
}

/** Each customer's count of records in `sent`. */
export function perCustomer(sent: SentRecord[]) {
  const counts = new Map<string, number>()
  for (const r of sent) counts.set(r.waId, (counts.get(r.waId) ?? 0) + 1)
  return counts
}
