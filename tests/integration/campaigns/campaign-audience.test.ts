// How a campaign treats each recipient by time: replies are credited only within the campaign's reply
// window of its send, and quiet hours in the recipient's own time zone defer them until they end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 200 })
}, 60_000)
afterAll(async () => s?.stop())

const statusOf = async (id: string, waId: string) => (await s.recipients(id)).find((r) => r.waId === waId)!.status
const inboundStored = (waId: string) =>
  waitFor(`the message from ${waId}`, async () => (await s.db.sql`select 1 from public.messages m join public.contacts ct on ct.id = m.contact_id where ct.wa_id = ${waId} and m.direction = 'inbound'`).length > 0)

describe('replies', () => {
  it('are credited within the reply window of the send and not outside it', async () => {
    const [now, late, recent, early] = await s.contacts(4, 'reply')
    const id = await s.launch({ tag: 'reply', replyWindowHours: 1 })
    await waitFor('the sends to be delivered', async () => (await s.funnel(id)).delivered === 4)
    // As if these two were messaged a while ago: one beyond the 1-hour window, one within it.
    const sentAgo = (waId: string, minutes: number) => s.db.sql`
      update public.messages m set sent_at = now() - make_interval(mins => ${minutes})
      from public.campaign_recipients r, public.contacts ct
      where m.id = r.message_id and ct.id = r.contact_id and r.campaign_id = ${id} and ct.wa_id = ${waId}`
    await sentAgo(late!, 120)
    await sentAgo(recent!, 30)

    await s.inbound(now!, 'Got it, thanks')
    await s.inbound(late!, 'Is this still on?')
    await s.inbound(recent!, 'Yes please')
    // Timestamped ten minutes before the send: not an answer to it.
    await s.inbound(early!, 'Hello?', Math.floor(Date.now() / 1000) - 600)
    for (const waId of [now!, late!, recent!, early!]) await inboundStored(waId)

    expect(await statusOf(id, now!)).toBe('replied')
    expect(await statusOf(id, recent!)).toBe('replied')
    expect(await statusOf(id, late!)).toBe('delivered')
    expect(await statusOf(id, early!)).toBe('delivered')
    expect(await s.funnel(id)).toMatchObject({ total: 4, delivered: 4, replied: 2 })
  }, 30_000)
})

/** HH:MM in `timeZone`, `shiftMinutes` from now. */
function clockIn(timeZone: string, shiftMinutes: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + shiftMinutes * 60_000))
}

describe('quiet hours', () => {
  it('defer recipients in their quiet hours until those end while others are sent', async () => {
    const brazilians = await s.contacts(3, 'quiet')
    const american = '12125550123'
    await s.db.sql`insert into public.contacts (tenant_id, wa_id, name, tags) values (${s.tenant.tenantId}, ${american}, 'New Yorker', ${['quiet']}::text[])`
    // Quiet from an hour ago until an hour from now in São Paulo; New York is one to two hours behind, outside it.
    const quietHours = { start: clockIn('America/Sao_Paulo', -60), end: clockIn('America/Sao_Paulo', 60) }
    const launchedAt = Date.now()
    const id = await s.launch({ tag: 'quiet', quietHours })

    await waitFor('the American to be messaged', async () => (await s.sentTo([american])).length === 1)
    await waitFor('the Brazilians to be deferred', async () => {
      const rows = await s.db.sql<{ n: number }[]>`
        select count(*)::int as n from public.campaign_recipients r join public.contacts ct on ct.id = r.contact_id
        where r.campaign_id = ${id} and ct.wa_id like '55%' and r.next_attempt_at is not null`
      return rows[0]!.n === 3
    })
    const deferred = await s.db.sql<{ status: string; nextAttemptAt: Date }[]>`
      select r.status, r.next_attempt_at as "nextAttemptAt" from public.campaign_recipients r join public.contacts ct on ct.id = r.contact_id
      where r.campaign_id = ${id} and ct.wa_id = any(${brazilians}::text[])`
    for (const r of deferred) {
      expect(r.status).toBe('pending')
      // The end of the quiet hours: an hour from the launch, to the minute.
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(launchedAt + 58 * 60_000)
      expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(launchedAt + 61 * 60_000)
    }
    expect(await s.sentTo(brazilians)).toHaveLength(0)
    expect((await s.campaign(id)).status).toBe('running')
    await s.act(id, 'cancel')
  }, 30_000)
})
