// A send worker dying mid-send messages nobody twice: a send Meta accepted but whose answer was lost is
// recognised by its status webhook (biz_opaque_callback_data carries our message id) and adopted, and a
// send in doubt that never reached Meta goes out once the in-doubt wait is over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyMessageStatus } from '@/core/inbox/apply-message-status'
import { sendQueueFor } from '@/core/sending/job-queue'
import type { OutboundMessage } from '@/core/whatsapp/outbound-message'
import { NUMBER, startCampaignStack, waitFor, type CampaignStack } from './campaign-stack'

let s: CampaignStack
beforeAll(async () => {
  s = await startCampaignStack({ mps: 200 })
}, 60_000)
afterAll(async () => s?.stop())

const IN_DOUBT_MS = 2_000
/** The latest after its claim that a worker sends (its chunk's last slot); the new worker's setting too. */
const SCHEDULE_AHEAD_MS = 500

describe('a worker dying mid-send', () => {
  it('sends every recipient exactly once: accepted sends are adopted, unsent ones go after the in-doubt wait', async () => {
    await s.replaceSender(null)
    const waIds = await s.contacts(10, 'crash')
    const id = await s.launch({ tag: 'crash' })
    await waitFor('the feeder to queue everyone', async () => (await s.recipients(id)).every((r) => r.status === 'queued'))
    const messages = await s.db.sql<{ id: string; waId: string; content: OutboundMessage }[]>`
      select m.id, ct.wa_id as "waId", m.content from public.messages m join public.contacts ct on ct.id = m.contact_id
      where m.campaign_id = ${id} order by m.id`
    const accepted = messages.slice(0, 4)
    const neverSent = messages.slice(4, 6)

    // What the dead worker did: claimed the campaign's jobs (its claim runs out in a second and is
    // never ended), and got as far as Meta for some of them.
    const claimedAt = Date.now()
    expect(await s.engine.queue.claim(sendQueueFor(NUMBER.phoneNumberId), 10, 1_000)).toHaveLength(10)
    const wamids = new Map<string, string>()
    for (const m of accepted) {
      expect(m.content.biz_opaque_callback_data).toBe(m.id)
      wamids.set(m.id, (await s.graph.sendMessage(NUMBER.phoneNumberId, NUMBER.accessToken, m.content)).wamid)
    }
    await waitFor('the status webhooks to adopt the accepted sends', async () => {
      const rows = await s.db.sql<{ id: string; wamid: string | null; status: string }[]>`
        select id, wamid, status from public.messages where id = any(${accepted.map((m) => m.id)}::uuid[])`
      return rows.every((r) => r.wamid === wamids.get(r.id) && ['sent', 'delivered'].includes(r.status))
    })

    await s.replaceSender({ inDoubtMs: IN_DOUBT_MS, maxScheduleAheadMs: SCHEDULE_AHEAD_MS })
    await waitFor('the campaign to complete', async () => (await s.campaign(id)).status === 'completed')
    const sent = await s.sentTo(waIds)
    expect(sent).toHaveLength(10)
    expect(new Set(sent.map((r) => r.waId)).size).toBe(10)
    for (const m of neverSent) {
      const at = Date.parse(sent.find((r) => r.waId === m.waId)!.acceptedAt)
      expect(at - claimedAt).toBeGreaterThanOrEqual(SCHEDULE_AHEAD_MS + IN_DOUBT_MS - 100)
    }
    await waitFor('every send to be delivered', async () => (await s.funnel(id)).delivered === 10)
  }, 30_000)
})

describe('adopting an in-doubt send', () => {
  async function queuedMessage(): Promise<string> {
    const [waId] = await s.contacts(1, 'adopt')
    const [row] = await s.db.sql<{ id: string }[]>`
      with ct as (select id from public.contacts where tenant_id = ${s.tenant.tenantId} and wa_id = ${waId!}),
      cv as (insert into public.conversations (tenant_id, number_id, contact_id) select ${s.tenant.tenantId}, ${s.numberId}, id from ct returning id, contact_id)
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content)
      select ${s.tenant.tenantId}, cv.id, ${s.numberId}, cv.contact_id, 'outbound', 'text', 'queued',
             ${s.db.sql.json({ messaging_product: 'whatsapp', to: waId!, type: 'text', text: { body: 'hi' } })}
      from cv returning id`
    return row!.id
  }
  const status = (wamid: string, bizOpaqueCallbackData: string, state = 'delivered') =>
    s.db.withService((tx) => applyMessageStatus(tx, s.tenant.tenantId, { wamid, status: state, timestamp: new Date(), errors: [], bizOpaqueCallbackData }))
  const message = async (id: string) =>
    (await s.db.sql<{ wamid: string | null; status: string; sentAt: Date | null }[]>`select wamid, status, sent_at as "sentAt" from public.messages where id = ${id}`)[0]!

  it('gives a message without a wamid the wamid of the status naming it, and applies the status', async () => {
    const id = await queuedMessage()
    expect(await status('wamid.ADOPTED1', id)).toBe('applied')
    expect(await message(id)).toMatchObject({ wamid: 'wamid.ADOPTED1', status: 'delivered', sentAt: expect.any(Date) })
  })

  it('applies a status that waited for the row while another status of the same send adopted it', async () => {
    const id = await queuedMessage()
    let commit!: () => void
    const held = new Promise<void>((r) => (commit = r))
    let adopting!: () => void
    const adopted = new Promise<void>((r) => (adopting = r))
    const sent = s.db.withService(async (tx) => {
      const outcome = await applyMessageStatus(tx, s.tenant.tenantId, { wamid: 'wamid.RACE', status: 'sent', timestamp: new Date(), errors: [], bizOpaqueCallbackData: id })
      adopting()
      await held
      return outcome
    })
    await adopted
    const delivered = status('wamid.RACE', id)
    // The delivered status is now waiting for the row the sent status holds.
    await new Promise((r) => setTimeout(r, 200))
    commit()
    await sent
    expect(await delivered).toBe('applied')
    expect(await message(id)).toMatchObject({ wamid: 'wamid.RACE', status: 'delivered' })
    expect(await s.db.sql`select 1 from public.pending_statuses where wamid = 'wamid.RACE'`).toHaveLength(0)
  })

  it('never moves a message that already has a wamid, and ignores callback data that is not a message id', async () => {
    const id = await queuedMessage()
    await status('wamid.FIRST', id, 'sent')
    expect(await status('wamid.SECOND', id)).toBe('parked')
    expect(await message(id)).toMatchObject({ wamid: 'wamid.FIRST', status: 'sent' })

    const other = await queuedMessage()
    expect(await status('wamid.THIRD', 'campaign-42')).toBe('parked')
    expect(await message(other)).toMatchObject({ wamid: null, status: 'queued' })
  })
})
