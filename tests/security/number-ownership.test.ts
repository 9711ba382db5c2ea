// Claiming a WhatsApp Business Account takes proof: POST /api/numbers through the real route handler, against
// a private database and the Meta emulator. A connect is proven only when the token reads the number and the
// WABA and Meta lists the number in that WABA; an unproven claim is refused alike whether or not another
// workspace holds the WABA, stores nothing and subscribes nothing. Once proven, a WABA held elsewhere is a 409.
// (Once, an attacker's own number and token under a victim's WABA id got through, and the victim's WABA
// webhooks then updated the attacker's workspace.)
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@/core/api-keys/create-api-key'
import { ingestWebhookPayload } from '@/core/inbox/ingest-webhook-payload'
import { verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'
import { startMetaEmulator, type MetaEmulator } from '../../dev/meta-emulator/server'
import { emulatorControl } from '../integration/support/emulator-control'
import { useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

const APP_SECRET = 'number-ownership-app-secret'

interface Business {
  phoneNumberId: string
  wabaId: string
  accessToken: string
  displayPhoneNumber: string
  verifiedName: string
}
// Each test registers businesses of its own at Meta, with ids no other test uses.
const business = (n: number, label: string, wabaId = `24${String(n).padStart(13, '0')}`): Business => ({
  phoneNumberId: `14${String(n).padStart(13, '0')}`,
  wabaId,
  accessToken: `EAAG${label}-token-${String(n).padStart(12, '0')}`,
  displayPhoneNumber: `+1 555-04${String(n).padStart(2, '0')}-0001`,
  verifiedName: `${label} Co.`,
})
const claimOf = (b: Business, wabaId = b.wabaId, accessToken = b.accessToken) => ({ phoneNumberId: b.phoneNumberId, wabaId, accessToken })

interface ErrorBody {
  error: { code: string; message: string; details?: { check: string; code: number | null } }
}
interface WabaView {
  phoneNumberIds: string[]
  subscribedApps: { id: string; name: string }[]
}

let t: TestDatabase
let emulator: MetaEmulator
let receiver: Server
let route: { POST: RouteHandler }
const receiverErrors: string[] = []
const control = emulatorControl(() => emulator.url)

// Each workspace calls as its owner through an admin API key: the same tenantRoute as a browser session, with
// nothing of this suite depending on how sessions are kept.
const keys = new Map<string, string>()
async function adminKey(who: SeededTenant) {
  if (!keys.has(who.tenantId)) {
    const { key } = await t.db.withUser(who.claims, (tx) => createApiKey(tx, who.tenantId, 'owner', { name: 'ownership probe', role: 'admin' }))
    keys.set(who.tenantId, key)
  }
  return keys.get(who.tenantId)!
}

async function postNumber(who: SeededTenant, claim: ReturnType<typeof claimOf>) {
  const req = new NextRequest('http://localhost/api/numbers', {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminKey(who)}`, 'content-type': 'application/json' },
    body: JSON.stringify(claim),
  })
  const res = await route.POST(req, { params: Promise.resolve({}) })
  return { status: res.status, body: (await res.json()) as ErrorBody & { number?: { phoneNumberId: string; status: string } } }
}

const register = (...numbers: Business[]) => control('numbers', numbers)
const wabaView = async (wabaId: string) => (await control<{ wabas: WabaView[] }>(`wabas?wabaId=${wabaId}`)).wabas[0]
const accountTenants = async (wabaId: string) =>
  (await t.db.sql<{ tenantId: string }[]>`select tenant_id as "tenantId" from public.whatsapp_business_accounts where waba_id = ${wabaId}`).map((r) => r.tenantId)
const numberTenants = async (phoneNumberId: string) =>
  (await t.db.sql<{ tenantId: string }[]>`select tenant_id as "tenantId" from public.whatsapp_numbers where phone_number_id = ${phoneNumberId}`).map((r) => r.tenantId)

describe('connecting a number proves the WhatsApp Business Account is the caller’s', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    // Plays the webhook route and the worker at once: checks Meta's signature, then applies the payload.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const raw = Buffer.concat(chunks)
        if (!verifyWebhookSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, APP_SECRET)) return void res.writeHead(401).end()
        t.db.withService((tx) => ingestWebhookPayload(tx, JSON.parse(raw.toString('utf8')))).then(
          () => res.writeHead(200).end(),
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
      templateApprovalMs: 600_000,
      webhookRetryDelaysMs: [50],
    })
    useRouteEnvironment(t.url, { META_GRAPH_BASE_URL: emulator.url, META_GRAPH_VERSION: 'v23.0' })
    route = (await import('@/app/api/numbers/route')) as unknown as typeof route
  })

  afterAll(async () => {
    const { db } = await import('@/server/db/db')
    await db().end()
    await emulator?.stop()
    await new Promise((resolve) => receiver?.close(resolve))
    await t?.drop()
    expect(receiverErrors).toEqual([])
  })

  it("an attacker's own number and token under the victim's WABA id is refused alike before and after the victim connects, and stores nothing", async () => {
    const victim = business(1, 'victim')
    const attacker = business(2, 'attacker')
    await register(victim, attacker)
    const victimWorkspace = await seedTenant(t.db, 'victim')
    const attackerWorkspace = await seedTenant(t.db, 'attacker')

    const before = await postNumber(attackerWorkspace, claimOf(attacker, victim.wabaId))
    expect(before.status).toBe(422)
    expect(before.body.error).toMatchObject({ code: 'validation_failed', details: { check: 'waba', code: 100 } })
    expect(before.body.error.message).toContain(`This access token cannot read WhatsApp Business Account ${victim.wabaId}`)
    expect(await accountTenants(victim.wabaId)).toEqual([])
    expect(await numberTenants(attacker.phoneNumberId)).toEqual([])
    expect((await wabaView(victim.wabaId))!.subscribedApps).toEqual([])

    const connected = await postNumber(victimWorkspace, claimOf(victim))
    expect(connected.status).toBe(201)
    expect(connected.body.number).toMatchObject({ phoneNumberId: victim.phoneNumberId, status: 'connected' })
    expect(await accountTenants(victim.wabaId)).toEqual([victimWorkspace.tenantId])

    // The same probe once the WABA is held: the very same answer, so it learns nothing (no 409).
    const after = await postNumber(attackerWorkspace, claimOf(attacker, victim.wabaId))
    expect(after).toEqual(before)
    expect(await accountTenants(victim.wabaId)).toEqual([victimWorkspace.tenantId])
    expect(await numberTenants(attacker.phoneNumberId)).toEqual([])
  })

  it('a token that cannot read the WABA is refused: one missing whatsapp_business_management, and a WABA Meta does not have', async () => {
    const shop = business(3, 'shop')
    await register(shop)
    await control('tokens', { accessToken: 'EAAGmessaging-only-token-00003', wabaIds: [shop.wabaId], permissions: ['whatsapp_business_messaging'] })
    const workspace = await seedTenant(t.db, 'shop')

    const noManagement = await postNumber(workspace, claimOf(shop, shop.wabaId, 'EAAGmessaging-only-token-00003'))
    expect(noManagement.status).toBe(422)
    expect(noManagement.body.error).toMatchObject({ code: 'validation_failed', details: { check: 'waba', code: 200 } })
    expect(noManagement.body.error.message).toContain(`cannot read WhatsApp Business Account ${shop.wabaId}`)

    const unknownWaba = await postNumber(workspace, claimOf(shop, '249999999999999'))
    expect(unknownWaba.status).toBe(422)
    expect(unknownWaba.body.error).toMatchObject({ code: 'validation_failed', details: { check: 'waba', code: 100 } })

    expect(await accountTenants(shop.wabaId)).toEqual([])
    expect(await accountTenants('249999999999999')).toEqual([])
    expect(await numberTenants(shop.phoneNumberId)).toEqual([])
    expect((await wabaView(shop.wabaId))!.subscribedApps).toEqual([])
  })

  it('a number Meta does not list in the claimed WABA is refused, even with a token that reads both WABAs', async () => {
    const north = business(4, 'north')
    const south = business(5, 'south')
    await register(north, south)
    // One system user assigned both WABAs: it reads north's number and south's WABA, yet the number is not south's.
    await control('tokens', { accessToken: 'EAAGsystem-user-token-0000045', wabaIds: [north.wabaId, south.wabaId] })
    const workspace = await seedTenant(t.db, 'north')

    const refused = await postNumber(workspace, claimOf(north, south.wabaId, 'EAAGsystem-user-token-0000045'))
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: { check: 'membership', code: null } })
    expect(refused.body.error.message).toContain(`Phone number ${north.phoneNumberId} is not in WhatsApp Business Account ${south.wabaId}`)
    expect(await accountTenants(south.wabaId)).toEqual([])
    expect(await numberTenants(north.phoneNumberId)).toEqual([])
    expect((await wabaView(south.wabaId))!.subscribedApps).toEqual([])

    // The same token and number under the WABA that does list it: proven.
    expect((await postNumber(workspace, claimOf(north, north.wabaId, 'EAAGsystem-user-token-0000045'))).status).toBe(201)
  })

  it("finds the number on a later page of the WABA's phone number list", async () => {
    const big = business(6, 'big')
    // More numbers than one page holds; the claimed one sorts last.
    const others = Array.from({ length: 120 }, (_, i) => ({ ...big, phoneNumberId: `14000000006${String(i).padStart(4, '0')}`, accessToken: `EAAGbig-other-token-${String(i).padStart(8, '0')}` }))
    const claimed = { ...big, phoneNumberId: '149999999999906' }
    await register(...others, claimed)
    const workspace = await seedTenant(t.db, 'big')
    const connected = await postNumber(workspace, claimOf(claimed))
    expect(connected.status).toBe(201)
    expect(await numberTenants(claimed.phoneNumberId)).toEqual([workspace.tenantId])
  })

  it('a proven claim of a WABA another workspace holds is a 409 and stores nothing', async () => {
    const first = business(7, 'first')
    // A second number of the same WABA with a token of its own: a real second holder of the account.
    const second = { ...first, phoneNumberId: '140000000000077', accessToken: 'EAAGsecond-holder-token-000077', displayPhoneNumber: '+1 555-0407-0002' }
    await register(first, second)
    const holder = await seedTenant(t.db, 'holder')
    const rival = await seedTenant(t.db, 'rival')
    expect((await postNumber(holder, claimOf(first))).status).toBe(201)

    const taken = await postNumber(rival, claimOf(second))
    expect(taken.status).toBe(409)
    expect(taken.body.error).toMatchObject({ code: 'conflict', message: 'This WhatsApp Business Account is connected to another workspace' })
    expect(await accountTenants(first.wabaId)).toEqual([holder.tenantId])
    expect(await numberTenants(second.phoneNumberId)).toEqual([])
  })

  it('a successful connect subscribes the app to the WABA, once however often it is reconnected', async () => {
    const cafe = business(8, 'cafe')
    await register(cafe)
    const workspace = await seedTenant(t.db, 'cafe')
    expect((await wabaView(cafe.wabaId))!.subscribedApps).toEqual([])

    expect((await postNumber(workspace, claimOf(cafe))).status).toBe(201)
    const subscribed = (await wabaView(cafe.wabaId))!.subscribedApps
    expect(subscribed).toEqual([expect.objectContaining({ name: 'Conversa' })])
    const graph = await fetch(`${emulator.url}/v23.0/${cafe.wabaId}/subscribed_apps`, { headers: { authorization: `Bearer ${cafe.accessToken}` } })
    expect(((await graph.json()) as { data: { whatsapp_business_api_data: { id: string } }[] }).data.map((a) => a.whatsapp_business_api_data.id)).toEqual([subscribed[0]!.id])

    expect((await postNumber(workspace, claimOf(cafe))).status).toBe(201)
    expect((await wabaView(cafe.wabaId))!.subscribedApps).toHaveLength(1)
  })

  it("the WABA's template-status webhook then updates only the rightful workspace", async () => {
    const victim = business(9, 'owner')
    const attacker = business(10, 'intruder')
    await register(victim, attacker)
    const victimWorkspace = await seedTenant(t.db, 'owner')
    const attackerWorkspace = await seedTenant(t.db, 'intruder')

    expect((await postNumber(attackerWorkspace, claimOf(attacker, victim.wabaId))).status).toBe(422)
    expect((await postNumber(attackerWorkspace, claimOf(attacker))).status).toBe(201)
    expect((await postNumber(victimWorkspace, claimOf(victim))).status).toBe(201)
    // Both workspaces hold an order_update template: the victim's under its WABA, the attacker's under its own.
    for (const [who, wabaId] of [[victimWorkspace, victim.wabaId], [attackerWorkspace, attacker.wabaId]] as const) {
      await t.db.sql`
        insert into public.templates (tenant_id, account_id, name, language, category, status)
        select ${who.tenantId}, id, 'order_update', 'en_US', 'UTILITY', 'APPROVED' from public.whatsapp_business_accounts where waba_id = ${wabaId}`
    }
    const statuses = async () =>
      Object.fromEntries(
        (await t.db.sql<{ tenantId: string; status: string }[]>`
          select tenant_id as "tenantId", string_agg(status, ',' order by status) as status from public.templates
          where tenant_id in (${victimWorkspace.tenantId}, ${attackerWorkspace.tenantId}) group by tenant_id`).map((r) => [r.tenantId, r.status]),
      )
    const before = await statuses()

    const delivered = await control<{ delivered: boolean; httpStatus: number }>('template-status', {
      wabaId: victim.wabaId,
      name: 'order_update',
      language: 'en_US',
      status: 'PAUSED',
    })
    expect(delivered).toMatchObject({ delivered: true, httpStatus: 200 })
    const [victimTemplate] = await t.db.sql`
      select t.status from public.templates t join public.whatsapp_business_accounts a on a.id = t.account_id
      where a.waba_id = ${victim.wabaId} and t.name = 'order_update'`
    expect(victimTemplate).toMatchObject({ status: 'PAUSED' })
    const after = await statuses()
    expect(after[attackerWorkspace.tenantId]).toBe(before[attackerWorkspace.tenantId])
    expect(after[victimWorkspace.tenantId]).not.toBe(before[victimWorkspace.tenantId])
  })
})
