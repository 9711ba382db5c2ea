// The portfolio's messaging limit holds a campaign back: no more unique customers outside their window
// than the limit within 24 hours, the rest waiting as pending, and they go once the limit rises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGING_LIMIT_WINDOW_MS } from '@/core/sending/messaging-limit'
import { portfolioKey } from '@/server/sending/engine-keys'
import { startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 200 })
}, 60_000)
afterAll(async () => s?.stop())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the messaging limit', () => {
  it('sends to exactly the limit, keeps the rest pending while running, and sends them when the limit rises', async () => {
    await s.db.sql`update public.whatsapp_business_accounts set messaging_limit = 100 where id = ${s.tenant.accountId}`
    const waIds = await s.contacts(150, 'limit')
    const id = await s.launch({ tag: 'limit' })

    await waitFor('the limit to be used up', async () => (await s.sentTo(waIds)).length >= 100)
    await sleep(1_500)
    expect(await s.sentTo(waIds)).toHaveLength(100)
    const recipients = await s.recipients(id)
    expect(recipients.filter((r) => r.status === 'pending')).toHaveLength(50)
    expect(recipients.filter((r) => ['sent', 'delivered'].includes(r.status))).toHaveLength(100)
    expect((await s.campaign(id)).status).toBe('running')
    const [account] = await s.db.sql<{ portfolio: string }[]>`
      select coalesce(business_id, id::text) as portfolio from public.whatsapp_business_accounts where id = ${s.tenant.accountId}`
    expect(await s.engine.pacer.uniqueCount(portfolioKey(account!.portfolio), MESSAGING_LIMIT_WINDOW_MS)).toBe(100)

    await s.db.sql`update public.whatsapp_business_accounts set messaging_limit = 1000 where id = ${s.tenant.accountId}`
    await waitFor('the campaign to complete', async () => (await s.campaign(id)).status === 'completed', 20_000)
    const sent = await s.sentTo(waIds)
    expect(sent).toHaveLength(150)
    expect(new Set(sent.map((r) => r.waId)).size).toBe(150)
  }, 40_000)
})
