// The governor end to end: Meta's signals (131050 per contact, 131049 across the campaign, a template
// paused at Meta) and a delivery rate under the campaign's threshold act on running campaigns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NUMBER, startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 100, feeder: { governorEveryMs: 100, settleMs: 300 } })
}, 60_000)
afterAll(async () => s?.stop())

const paused = (id: string) => waitFor('the governor to pause the campaign', async () => ((await s.campaign(id)).status === 'paused' ? s.campaign(id) : null), 30_000)

describe('a customer who stopped marketing messages (131050)', () => {
  it('is marked so, and a later marketing campaign skips them', async () => {
    const waIds = await s.contacts(3, 'marketing')
    const [stopped] = waIds
    await s.control('undeliverable', { waId: stopped, code: 131050 })
    const first = await s.launch({ tag: 'marketing' })
    await waitFor('the 131050 failure', async () => (await s.recipients(first)).find((r) => r.waId === stopped)?.errorCode === 131050)
    const optedOut = await s.db.sql<{ waId: string }[]>`
      select wa_id as "waId" from public.contacts where wa_id = any(${waIds}::text[]) and marketing_opted_out_at is not null`
    expect(optedOut.map((r) => r.waId)).toEqual([stopped])

    const promo = await s.launch({
      tag: 'marketing',
      template: 'promo_image',
      variables: { 'header.media': { kind: 'constant', value: 'https://cdn.example.com/autumn-blend.jpg' } },
    })
    await waitFor('the promotion to complete', async () => (await s.campaign(promo)).status === 'completed')
    expect((await s.recipients(promo)).find((r) => r.waId === stopped)).toMatchObject({ status: 'skipped', skipReason: 'marketing_opted_out' })
    const promos = (await s.sentTo(waIds)).filter((r) => JSON.stringify(r.body).includes('promo_image'))
    expect(promos.map((r) => r.waId).sort()).toEqual(waIds.slice(1).sort())
  }, 40_000)
})

describe('Meta holding messages back for engagement (131049)', () => {
  it('pauses the campaign with the reason once enough recipients are held back', async () => {
    const waIds = await s.contacts(200, 'engagement')
    for (const waId of waIds.filter((_, i) => i % 5 === 0)) await s.control('undeliverable', { waId, code: 131049 })
    const id = await s.launch({ tag: 'engagement' })
    const campaign = await paused(id)
    expect(campaign.pausedReason).toMatch(/131049/)
    expect((await s.recipients(id)).filter((r) => r.errorCode === 131049).length).toBeGreaterThanOrEqual(5)
    expect((await s.funnel(id)).waiting).toBeGreaterThan(0)
  }, 40_000)
})

describe('a template paused at Meta', () => {
  it('reaches our template through its webhook and pauses the campaign using it', async () => {
    const waIds = await s.contacts(200, 'template')
    const id = await s.launch({ tag: 'template', template: 'hello_world', variables: {} })
    await waitFor('the first sends', async () => (await s.sentTo(waIds)).length >= 10)
    await s.control('template-status', { wabaId: NUMBER.wabaId, name: 'hello_world', status: 'PAUSED', reason: 'LOW_QUALITY' })

    const [template] = await s.db.sql<{ status: string }[]>`select status from public.templates where account_id = ${s.tenant.accountId} and name = 'hello_world'`
    expect(template!.status).toBe('PAUSED')
    const campaign = await paused(id)
    // Sends racing the webhook are refused with 132015, which pauses it too; either way Meta's pause is the reason.
    expect(campaign.pausedReason).toMatch(/hello_world is PAUSED|132015/)
    expect((await s.funnel(id)).waiting).toBeGreaterThan(0)
  }, 40_000)
})

describe('a delivery rate below the threshold', () => {
  it('pauses the campaign once enough sends have settled', async () => {
    const waIds = await s.contacts(300, 'delivery')
    for (const waId of waIds.filter((_, i) => i % 5 === 0)) await s.control('undeliverable', { waId })
    const id = await s.launch({ tag: 'delivery', minDeliveryRate: 0.9 })
    const campaign = await paused(id)
    expect(campaign.pausedReason).toMatch(/^Delivery rate \d+\.\d% fell below the campaign’s 90% threshold$/)
    const recipients = await s.recipients(id)
    expect(recipients.filter((r) => r.status !== 'pending').length).toBeGreaterThanOrEqual(50)
    expect(recipients.filter((r) => r.status === 'pending').length).toBeGreaterThan(0)
  }, 40_000)
})
