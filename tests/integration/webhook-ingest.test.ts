import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyParkedStatuses } from '@/core/inbox/apply-message-status'
import { ingestWebhookPayload } from '@/core/inbox/ingest-webhook-payload'
import { parseWebhook } from '@/core/whatsapp/parse-webhook'
import { metaFixture, metaFixtureNames } from './support/fixtures'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { whatsappTenant } from './support/whatsapp-tenant'

describe('applying Meta webhooks to the inbox', () => {
  let t: TestDatabase
  let a: Awaited<ReturnType<typeof whatsappTenant>>
  let b: Awaited<ReturnType<typeof whatsappTenant>>
  const ingest = (payload: unknown) => t.db.withService((tx) => ingestWebhookPayload(tx, payload))

  beforeAll(async () => {
    t = await createTestDatabase()
    a = await whatsappTenant(t.db, 'acme', { wabaId: '104857293847561', numbers: [{ phoneNumberId: '106540352242922', display: '+1 555-078-3881' }] })
    b = await whatsappTenant(t.db, 'bolt', { wabaId: '109283746501928', numbers: [{ phoneNumberId: '110293847560192', display: '+44 7700 900000' }] })
  })
  afterAll(() => t.drop())

  async function outbound(tenant: typeof a, wamid: string, status = 'sent') {
    const [c] = await t.db.sql`select id from public.contacts where tenant_id = ${tenant.tenantId} limit 1`
    const numberId = Object.values(tenant.numbers)[0]!
    const [conv] = await t.db.sql`
      insert into public.conversations (tenant_id, number_id, contact_id) values (${tenant.tenantId}, ${numberId}, ${c!.id})
      on conflict (tenant_id, number_id, contact_id) do update set updated_at = now() returning id`
    await t.db.sql`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content)
      values (${tenant.tenantId}, ${conv!.id}, ${numberId}, ${c!.id}, ${wamid}, 'outbound', 'text', ${status}, '{}')`
  }
  const messageByWamid = async (wamid: string) => (await t.db.sql`select * from public.messages where wamid = ${wamid}`)[0]

  // A fixture as if sent by customers no other test writes as, with message ids of its own: each test
  // stands alone, in any order.
  let copies = 0
  function fresh(name: string) {
    const copy = ++copies
    const customers = new Map<string, string>()
    const rename = (value: unknown, key?: string): unknown => {
      if (Array.isArray(value)) return value.map((v) => rename(v))
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, k)]))
      if (typeof value !== 'string') return value
      if (key === 'id' && value.startsWith('wamid.')) return `${value}.${copy}`
      if (key === 'wa_id' || key === 'from' || key === 'recipient_id') {
        if (!customers.has(value)) customers.set(value, `5521${String(copy).padStart(4, '0')}${String(customers.size).padStart(3, '0')}`)
        return customers.get(value)
      }
      return value
    }
    const payload = rename(metaFixture(name)) as Record<string, unknown>
    const events = parseWebhook(payload)
    return { payload, events, customer: (original: string) => customers.get(original)! }
  }
  const wamidsOf = (events: ReturnType<typeof parseWebhook>) => events.flatMap((e) => (e.kind === 'message' ? [e.wamid] : []))

  it('records an inbound text: contact, open conversation with a 24-hour window, unread count, message', async () => {
    const text = fresh('01_text.json')
    const outcome = await ingest(text.payload)
    expect(outcome).toMatchObject({ problems: [], counts: { messages: 1 }, tenantIds: [a.tenantId] })
    expect(outcome.inbound).toEqual([]) // nobody has the conversation yet: nobody to notify
    const [row] = await t.db.sql`
      select ct.wa_id, ct.profile_name, c.status, c.unread_count, c.last_message_preview,
             extract(epoch from c.service_window_expires_at - m."timestamp")::int as window, m.type, m.content->>'text' as text, m.direction, m.status as mstatus
      from public.messages m join public.conversations c on c.id = m.conversation_id join public.contacts ct on ct.id = m.contact_id
      where m.wamid = ${wamidsOf(text.events)[0]!}`
    expect(row).toMatchObject({
      wa_id: text.customer('5511987654321'), profile_name: 'Mariana Souza', status: 'open', unread_count: 1, type: 'text',
      text: 'Olá! Vocês entregam no sábado?', direction: 'inbound', mstatus: 'received', window: 86_400,
    })
    expect(row!.last_message_preview).toContain('Olá! Vocês entregam no sábado?')
  })

  it('treats a re-delivered payload as a no-op', async () => {
    const text = fresh('01_text.json')
    expect((await ingest(text.payload)).counts).toMatchObject({ messages: 1, duplicates: 0 })
    const again = await ingest(text.payload)
    expect(again.counts).toMatchObject({ messages: 0, duplicates: 1 })
    const [c] = await t.db.sql`select unread_count from public.conversations c join public.contacts ct on ct.id = c.contact_id where ct.wa_id = ${text.customer('5511987654321')}`
    expect(c!.unread_count).toBe(1)
  })

  it('names the assigned conversations a new customer message arrived on, for their agents to be notified', async () => {
    const first = fresh('01_text.json')
    await ingest(first.payload)
    const [c] = await t.db.sql<{ id: string }[]>`
      update public.conversations set assignee_id = ${a.userId}
      where contact_id = (select id from public.contacts where wa_id = ${first.customer('5511987654321')}) returning id`
    const [wamid] = wamidsOf(first.events)
    const followUp = JSON.parse(JSON.stringify(first.payload).replaceAll(wamid!, `${wamid}.follow-up`))
    const outcome = await ingest(followUp)
    expect(outcome.inbound).toEqual([{ tenantId: a.tenantId, conversationId: c!.id }])
  })

  it('ingests every fixture without aborting, one row per parsed message of a known number and sender', async () => {
    let checked = 0
    for (const name of metaFixtureNames()) {
      const { payload, events } = fresh(name)
      const expected = events.filter((e) => e.kind === 'message' && (e.from || e.userId) && ['106540352242922', '110293847560192'].includes(e.phoneNumberId))
      await ingest(payload)
      for (const e of expected) if (e.kind === 'message') expect(await messageByWamid(e.wamid), `${name} ${e.wamid}`).toBeDefined()
      checked += expected.length
    }
    // The fixtures hold 37 messages from known numbers and senders: an empty loop must not pass.
    expect(checked).toBeGreaterThanOrEqual(37)
  })

  it('keeps media messages with a pending media row to download', async () => {
    const image = fresh('05_image_caption.json')
    await ingest(image.payload)
    const media = await t.db.sql`
      select md.status, md.meta_media_id, md.mime_type, m.tenant_id, m.type from public.media md join public.messages m on m.id = md.message_id
      where m.wamid = ${wamidsOf(image.events)[0]!}`
    expect([...media]).toEqual([{ status: 'pending', meta_media_id: '2241734273639508', mime_type: 'image/jpeg', tenant_id: a.tenantId, type: 'image' }])
  })

  it('routes one payload with several numbers to each tenant and reports the unknown number', async () => {
    const multi = fresh('37_multi_entry_multi_number.json')
    const outcome = await ingest(multi.payload)
    expect(outcome.tenantIds).toEqual(expect.arrayContaining([a.tenantId, b.tenantId]))
    expect(outcome.problems.join('\n')).toContain('unknown phone_number_id 108374652019283')
    const tenantOf = { '106540352242922': a.tenantId, '110293847560192': b.tenantId } as Record<string, string>
    const messages = multi.events.flatMap((e) => (e.kind === 'message' && tenantOf[e.phoneNumberId] ? [e] : []))
    expect(messages.map((e) => e.phoneNumberId)).toEqual(expect.arrayContaining(['106540352242922', '110293847560192']))
    for (const e of messages) expect((await messageByWamid(e.wamid))?.tenant_id, e.wamid).toBe(tenantOf[e.phoneNumberId])
  })

  it('applies statuses monotonically: a late delivered never downgrades read', async () => {
    const wamid = 'wamid.HBgL551234VAgASGBQ0000001EQUFBQkJCQ0NDAA=='
    await t.db.sql`delete from public.pending_statuses where wamid = ${wamid}`
    await outbound(a, wamid)
    const status = (s: string, ts: number) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '104857293847561', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [{ id: wamid, status: s, timestamp: String(ts), recipient_id: '16505551234' }] } }] }],
    })
    const outcomes = [await ingest(status('read', 1795482060)), await ingest(status('delivered', 1795482000)), await ingest(status('sent', 1795481990))]
    expect(outcomes.flatMap((o) => o.problems)).toEqual([])
    const m = await messageByWamid(wamid)
    expect(m!.status).toBe('read')
    expect(m!.read_at.toISOString()).toBe(new Date(1795482060_000).toISOString())
    expect(m!.delivered_at.toISOString()).toBe(new Date(1795482000_000).toISOString())
  })

  it("records Meta's error on a failed status, and never lets failed override delivered", async () => {
    await outbound(a, 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ4QzNGNUE5RTY5RkFBNzNFOUY4QgA=')
    await ingest(metaFixture('25_status_failed_131047.json'))
    const failed = await messageByWamid('wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ4QzNGNUE5RTY5RkFBNzNFOUY4QgA=')
    expect(failed).toMatchObject({ status: 'failed', error_code: 131047, error_title: 'Re-engagement message' })
    expect(failed!.error_details).toBe("The customer's 24-hour window is closed; send a template instead.")

    await outbound(a, 'wamid.delivered-then-failed', 'delivered')
    await ingest({
      object: 'whatsapp_business_account',
      entry: [{ id: '104857293847561', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: '106540352242922' }, statuses: [{ id: 'wamid.delivered-then-failed', status: 'failed', timestamp: '1795482000', recipient_id: '1', errors: [{ code: 131026, title: 'Message undeliverable' }] }] } }] }],
    })
    expect((await messageByWamid('wamid.delivered-then-failed'))!.status).toBe('delivered')
  })

  it("ends the conversation's 24-hour window when Meta refuses a free-form message with 131047, unless the customer wrote since", async () => {
    const numberId = Object.values(a.numbers)[0]!
    const failedStatus = (wamid: string, at: Date, code: number) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '104857293847561', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [{ id: wamid, status: 'failed', timestamp: String(Math.floor(at.getTime() / 1000)), recipient_id: '1', errors: [{ code, title: 'Refused' }] }] } }] }],
    })
    /** A conversation of its own whose window we believe open (the customer wrote `wroteAgo` ms ago), with one sent message. */
    async function openConversation(wamid: string, wroteAgo: number) {
      const wrote = new Date(Date.now() - wroteAgo)
      const [contact] = await t.db.sql`insert into public.contacts (tenant_id, wa_id) values (${a.tenantId}, ${`1555${Math.floor(Math.random() * 1e9)}`}) returning id`
      const [conv] = await t.db.sql`
        insert into public.conversations (tenant_id, number_id, contact_id, last_inbound_at, service_window_expires_at)
        values (${a.tenantId}, ${numberId}, ${contact!.id}, ${wrote}, ${new Date(wrote.getTime() + 24 * 3_600_000)}) returning id`
      await t.db.sql`
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content)
        values (${a.tenantId}, ${conv!.id}, ${numberId}, ${contact!.id}, ${wamid}, 'outbound', 'text', 'sent', '{}')`
      return async () => (await t.db.sql`select service_window_expires_at as "endsAt" from public.conversations where id = ${conv!.id}`)[0]!.endsAt as Date
    }

    const refusedAt = new Date(Math.floor(Date.now() / 1000) * 1000)
    const closed = await openConversation('wamid.window-refused', 2 * 3_600_000)
    await ingest(failedStatus('wamid.window-refused', refusedAt, 131047))
    expect((await closed()).toISOString()).toBe(refusedAt.toISOString())

    // The customer wrote after the refusal: that message opened a new window, which stays.
    const reopened = await openConversation('wamid.window-reopened', 1_000)
    const stillOpen = await reopened()
    await ingest(failedStatus('wamid.window-reopened', new Date(refusedAt.getTime() - 60_000), 131047))
    expect(await reopened()).toEqual(stillOpen)

    // Other refusals say nothing about the window.
    const other = await openConversation('wamid.window-other-failure', 2 * 3_600_000)
    const before = await other()
    await ingest(failedStatus('wamid.window-other-failure', refusedAt, 131026))
    expect(await other()).toEqual(before)
  })

  it('parks a status for a wamid not yet known and applies it when the send returns', async () => {
    const wamid = 'wamid.HBgL551234VAgASGBQ0000001FQUFBQkJCQ0NDAA=='
    await t.db.sql`delete from public.messages where wamid = ${wamid}`
    const outcome = await ingest(metaFixture('23_status_delivered_read_played.json'))
    expect(outcome.counts.parked).toBeGreaterThan(0)
    await outbound(a, wamid)
    expect(await t.db.withService((tx) => applyParkedStatuses(tx, [wamid]))).toBe(1)
    expect((await messageByWamid(wamid))!.status).toBe('played')
    const left = await t.db.sql`select count(*)::int as n from public.pending_statuses where wamid = ${wamid}`
    expect(left[0]!.n).toBe(0)
  })

  it('updates a synced template from a status webhook and flags a number from a quality webhook', async () => {
    await t.db.sql`
      insert into public.templates (tenant_id, account_id, meta_template_id, name, language, category, status)
      values (${a.tenantId}, ${a.accountId}, '1274650928374651', 'black_friday_promo', 'en_US', 'MARKETING', 'PENDING')`
    await ingest(metaFixture('31_template_status_update.json'))
    const [tpl] = await t.db.sql`select status, rejected_reason from public.templates where name = 'black_friday_promo'`
    expect(tpl).toEqual({ status: 'REJECTED', rejected_reason: 'INVALID_FORMAT' })

    await t.db.sql`update public.whatsapp_numbers set display_phone_number = '+1 555-078-3881' where phone_number_id = '106540352242922'`
    await ingest(metaFixture('33_phone_number_quality_update.json'))
    const [n] = await t.db.sql`
      select n.status, n.quality_rating, a.messaging_limit_tier from public.whatsapp_numbers n
      join public.whatsapp_business_accounts a on a.id = n.account_id where n.phone_number_id = '106540352242922'`
    expect(n).toEqual({ status: 'flagged', quality_rating: 'RED', messaging_limit_tier: 'TIER_10K' })
  })

  it('keeps unknown fields as problems in the outcome instead of failing', async () => {
    const outcome = await ingest(metaFixture('36_unknown_field.json'))
    expect(outcome.problems.length).toBeGreaterThan(0)
    expect(outcome.problems.join('\n')).toContain('unknown')
  })
})
