// What a tenant does to a running campaign, end to end through the emulator: pause and resume, cancel,
// a recipient opting out mid-run, retrying the failed and retargeting a slice of the recipients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retargetCampaign } from '@/core/campaigns/retarget-campaign'
import { startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 100 })
}, 60_000)
afterAll(async () => s?.stop())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SENT_STATUSES = new Set(['sent', 'delivered', 'read', 'replied'])
const queuedMessages = async (campaignId: string) =>
  (await s.db.sql<{ n: number }[]>`select count(*)::int as n from public.messages where campaign_id = ${campaignId} and status in ('pending', 'queued')`)[0]!.n

describe('pausing and resuming', () => {
  it('stops sending within 2 seconds of a pause, and a resume messages everyone else exactly once', async () => {
    const waIds = await s.contacts(400, 'pause')
    const before = await s.accepted()
    const id = await s.launch({ tag: 'pause' })
    await waitFor('the first 100 sends', async () => (await s.accepted()) - before >= 100)

    await s.act(id, 'pause')
    await sleep(2_000)
    const atPause = await s.accepted()
    await sleep(2_000)
    expect(await s.accepted()).toBe(atPause)
    expect(atPause - before).toBeLessThan(400)

    expect((await s.campaign(id)).status).toBe('paused')
    await waitFor('the queued messages to be taken back', async () => (await queuedMessages(id)) === 0, 5_000)
    const recipients = await s.recipients(id)
    const sentSoFar = await s.sentTo(waIds)
    expect(recipients.filter((r) => r.status === 'queued')).toHaveLength(0)
    expect(recipients.filter((r) => SENT_STATUSES.has(r.status))).toHaveLength(sentSoFar.length)
    expect(recipients.filter((r) => r.status === 'pending')).toHaveLength(400 - sentSoFar.length)

    await s.act(id, 'resume')
    await waitFor('the campaign to complete', async () => (await s.campaign(id)).status === 'completed', 30_000)
    const sent = await s.sentTo(waIds)
    expect(sent).toHaveLength(400)
    expect(new Set(sent.map((r) => r.waId)).size).toBe(400)
  }, 50_000)
})

describe('cancelling', () => {
  it('skips every recipient not yet messaged as cancelled and sends nothing more', async () => {
    const waIds = await s.contacts(300, 'cancel')
    const before = await s.accepted()
    const id = await s.launch({ tag: 'cancel' })
    await waitFor('the first 50 sends', async () => (await s.accepted()) - before >= 50)

    const outcome = await s.act(id, 'cancel')
    expect(outcome.status).toBe('cancelled')
    await sleep(1_000)
    const afterCancel = await s.accepted()
    await sleep(1_000)
    expect(await s.accepted()).toBe(afterCancel)

    expect((await s.campaign(id)).status).toBe('cancelled')
    await waitFor('the queued messages to be taken back', async () => (await queuedMessages(id)) === 0, 5_000)
    const sent = await s.sentTo(waIds)
    expect(sent.length).toBeLessThan(300)
    const recipients = await s.recipients(id)
    const messaged = recipients.filter((r) => SENT_STATUSES.has(r.status))
    expect(messaged.map((r) => r.waId).sort()).toEqual(sent.map((r) => r.waId).sort())
    const rest = recipients.filter((r) => !SENT_STATUSES.has(r.status))
    expect(rest).toHaveLength(300 - sent.length)
    expect(rest.every((r) => r.status === 'skipped' && r.skipReason === 'cancelled')).toBe(true)
  }, 20_000)
})

describe('a recipient opting out mid-run', () => {
  it('gets no campaign message and is skipped as opted out', async () => {
    const waIds = await s.contacts(120, 'optout')
    const id = await s.launch({ tag: 'optout' })
    const last = (await s.recipients(id)).at(-1)!.waId
    await s.inbound(last, 'STOP')
    await waitFor('the opt-out', async () => (await s.db.sql`select 1 from public.contacts where wa_id = ${last} and opted_out_at is not null`).length > 0)

    await waitFor('the campaign to complete', async () => (await s.campaign(id)).status === 'completed', 30_000)
    const templates = (await s.sentTo(waIds)).filter((r) => r.body.type === 'template')
    expect(templates).toHaveLength(119)
    expect(templates.some((r) => r.waId === last)).toBe(false)
    expect((await s.recipients(id)).find((r) => r.waId === last)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' })
  }, 40_000)
})

describe('retrying the failed', () => {
  it('sends the failed recipients again and completes the campaign a second time', async () => {
    const waIds = await s.contacts(20, 'retry')
    const failing = waIds.slice(0, 4)
    for (const waId of failing) await s.control('undeliverable', { waId })
    const id = await s.launch({ tag: 'retry' })
    await waitFor('the first run and its failures', async () => (await s.campaign(id)).status === 'completed' && (await s.funnel(id)).failed === 4)

    for (const waId of failing) await s.control('undeliverable', { waId, undeliverable: false })
    expect((await s.act(id, 'retry_failed')).status).toBe('running')
    expect((await s.campaign(id)).status).toBe('running')
    await waitFor('the retry to be delivered', async () => (await s.campaign(id)).status === 'completed' && (await s.funnel(id)).delivered === 20)

    expect(await s.funnel(id)).toMatchObject({ total: 20, failed: 0, delivered: 20 })
    const sent = await s.sentTo(waIds)
    for (const waId of waIds) expect(sent.filter((r) => r.waId === waId)).toHaveLength(failing.includes(waId) ? 2 : 1)
  }, 20_000)
})

describe('retargeting', () => {
  it('drafts a campaign whose list is exactly the recipients delivered but not read', async () => {
    const waIds = await s.contacts(10, 'retarget')
    for (const waId of waIds.slice(0, 2)) await s.control('undeliverable', { waId })
    const id = await s.launch({ tag: 'retarget' })
    await waitFor('the run to settle', async () => {
      const f = await s.funnel(id)
      return (await s.campaign(id)).status === 'completed' && f.failed === 2 && f.delivered === 8
    })
    for (const waId of waIds.slice(2, 5)) await s.inbound(waId, 'Thanks!')
    await waitFor('the replies to be credited', async () => (await s.funnel(id)).replied === 3)

    const draft = await s.db.withUser(s.tenant.claims, (tx) => retargetCampaign(tx, s.tenant.tenantId, id, 'delivered_not_read'))
    const [campaign] = await s.db.sql<{ status: string; retargetOf: string; audience: { source: string } }[]>`
      select status, retarget_of as "retargetOf", audience from public.campaigns where id = ${draft}`
    expect(campaign).toMatchObject({ status: 'draft', retargetOf: id, audience: { source: 'list' } })
    const list = await s.db.sql<{ waId: string }[]>`
      select ct.wa_id as "waId" from public.campaign_audience_contacts a join public.contacts ct on ct.id = a.contact_id where a.campaign_id = ${draft}`
    expect(list.map((r) => r.waId).sort()).toEqual(waIds.slice(5).sort())
  }, 20_000)
})
