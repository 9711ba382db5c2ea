// Campaigns of different workspaces, on different numbers, run side by side: one workspace's campaign
// never waits for another's to finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 50 })
}, 60_000)
afterAll(async () => s?.stop())

const OTHER_NUMBER = { phoneNumberId: '106540352242923', wabaId: '104857293847562', accessToken: 'EAAGcampaign-number-token-02', displayPhoneNumber: '+1 555-010-0002', verifiedName: 'Other Shop' }

describe('two workspaces', () => {
  it('progress concurrently, the later campaign starting while the earlier one still runs', async () => {
    const other = await s.addWorkspace(OTHER_NUMBER, 'other')
    const first = await s.contacts(200, 'first')
    const second = await other.contacts(200, 'second')
    const firstId = await s.launch({ tag: 'first' })
    await waitFor('the first campaign to be under way', async () => (await s.sentTo(first)).length >= 10)
    const firstAtSecondLaunch = (await s.sentTo(first)).length
    const secondId = await other.launch({ tag: 'second' })

    await waitFor('the second campaign to be under way', async () => (await other.sentTo(second)).length >= 30)
    const firstNow = (await s.sentTo(first)).length
    expect(firstNow).toBeLessThan(200)
    expect(firstNow).toBeGreaterThan(firstAtSecondLaunch)
    expect((await s.campaign(firstId)).status).toBe('running')

    await waitFor('both campaigns to complete', async () => (await s.campaign(firstId)).status === 'completed' && (await s.campaign(secondId)).status === 'completed', 30_000)
    expect(await s.sentTo(first)).toHaveLength(200)
    expect(await other.sentTo(second)).toHaveLength(200)
  }, 45_000)
})
