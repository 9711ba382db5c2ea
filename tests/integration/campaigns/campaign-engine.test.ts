// Campaigns end to end through the emulator: every recipient messaged exactly once with their own
// values, the funnel equal to Meta's records, replies credited, and the per-code actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { funnelsOf } from '@/core/campaigns/campaign-funnel-sql'
import { startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 300 })
}, 60_000)
afterAll(async () => s?.stop())

const funnel = async (id: string) => (await s.db.withService((tx) => funnelsOf(tx, s.tenant.tenantId, [id]))).get(id)!

describe('a campaign run', () => {
  it('messages every recipient once with their own values, and the funnel equals what Meta recorded', async () => {
    const waIds = await s.contacts(400, 'spring', { order: '#42' })
    const failing = waIds.filter((_, i) => i % 100 === 7)
    for (const waId of failing) await s.control('undeliverable', { waId })
    const id = await s.launch({ tag: 'spring' })

    // ~1.5 s on a quiet machine, 14 s beside six busy processes; the bound only says when to give up.
    await waitFor('the campaign to complete', async () => (await s.campaign(id)).status === 'completed', 60_000)
    const sentToUs = (await s.sent()).filter((r) => waIds.includes(r.waId))
    expect(sentToUs).toHaveLength(400)
    expect(new Set(sentToUs.map((r) => r.waId)).size).toBe(400)
    const one = sentToUs.find((r) => r.waId === waIds[0])!
    expect(JSON.stringify(one.body)).toContain(`"text":"Customer"`)
    expect(JSON.stringify(one.body)).toContain('#42')

    // Delivery reports arrive after the sends: wait for them to settle.
    await waitFor('the delivery reports', async () => (await funnel(id)).delivered === 400 - failing.length, 30_000)
    const f = await funnel(id)
    const acceptedWithoutFailure = sentToUs.filter((r) => !r.failure).length
    expect(f).toMatchObject({ total: 400, waiting: 0, sent: acceptedWithoutFailure, delivered: acceptedWithoutFailure, failed: failing.length, skipped: 0 })
    const failed = (await s.recipients(id)).filter((r) => r.status === 'failed')
    expect(failed.map((r) => r.waId).sort()).toEqual([...failing].sort())
    expect(new Set(failed.map((r) => r.errorCode))).toEqual(new Set([131026]))
  }, 120_000)
})
