// The worker's batch path for stored webhook payloads: many payloads claimed and applied in one
// transaction, statuses folded per message and written set-based (a duplicate writes nothing), a poison
// payload retried alone and dead-lettered without holding back its batch, and parked statuses adopted in
// the same pass once their send is recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { applyDueEvents, processWebhookEvent } from '@/server/whatsapp/process-webhook-event'
import { clearDeadEvents, retryDeadEvents, WEBHOOK_MAX_ATTEMPTS, webhookEventStats } from '@/server/whatsapp/webhook-event-queue'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { TEST_ENCRYPTION_KEY, whatsappTenant } from './support/whatsapp-tenant'

const NUMBER = { phoneNumberId: '120394857610001', display: '+55 11 4000-1001' }
const WABA = '120394857610900'
const BASE_TS = 1_795_500_000

describe('stored webhook payloads applied in batches', () => {
  let t: TestDatabase
  let a: Awaited<ReturnType<typeof whatsappTenant>>
  let deps: Parameters<typeof applyDueEvents>[0]
  let run = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    a = await whatsappTenant(t.db, 'acme', { wabaId: WABA, numbers: [NUMBER] })
    deps = {
      db: t.db,
      queue: createPostgresJobQueue(t.db.sql),
      graph: createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0' }),
      storage: createFilesystemStorage('/tmp/unused-webhook-batches'),
      encryptionKey: TEST_ENCRYPTION_KEY,
    }
  })
  afterAll(() => t.drop())

  /** Outbound messages of ours that Meta accepted (they have wamids); answers the wamids. */
  async function sentMessages(n: number) {
    const prefix = `wamid.batch.${++run}`
    const [c] = await t.db.sql`select id from public.contacts where tenant_id = ${a.tenantId} limit 1`
    const numberId = a.numbers[NUMBER.phoneNumberId]!
    const [conv] = await t.db.sql`
      insert into public.conversations (tenant_id, number_id, contact_id) values (${a.tenantId}, ${numberId}, ${c!.id})
      on conflict (tenant_id, number_id, contact_id) do update set updated_at = now() returning id`
    const wamids = Array.from({ length: n }, (_, i) => `${prefix}.${i}`)
    await t.db.sql`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content)
      select ${a.tenantId}, ${conv!.id}, ${numberId}, ${c!.id}, w, 'outbound', 'text', 'sent', '{}' from unnest(${wamids}::text[]) w`
    return wamids
  }

  const status = (wamid: string, s: string, offset: number, extra: Record<string, unknown> = {}) => ({
    id: wamid, status: s, timestamp: String(BASE_TS + offset), recipient_id: '5511999990000', ...extra,
  })
  const payload = (statuses: unknown[]) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '551140001001', phone_number_id: NUMBER.phoneNumberId }, statuses } }] }],
  })
  /** Stores payloads as the webhook route does; answers their ids. */
  async function store(payloads: unknown[]) {
    const rows = await t.db.sql<{ id: string }[]>`
      insert into public.webhook_events (payload) select p::jsonb from unnest(${payloads.map((p) => JSON.stringify(p))}::text[]) p returning id`
    return rows.map((r) => r.id)
  }
  const messages = (wamids: string[]) =>
    t.db.sql<{ wamid: string; status: string; sent_at: Date | null; delivered_at: Date | null; read_at: Date | null; xmin: string }[]>`
      select wamid, status, sent_at, delivered_at, read_at, xmin::text from public.messages where wamid = any(${wamids}::text[]) order by wamid`
  const at = (offset: number) => new Date((BASE_TS + offset) * 1000)

  it('applies many payloads in one pass: out of order and duplicated, each message ends at its furthest status with its earliest times', async () => {
    const wamids = await sentMessages(30)
    // Each message's read comes before its delivered, in separate payloads, and every status twice.
    const reads = wamids.map((w) => status(w, 'read', 20))
    const delivereds = wamids.map((w) => status(w, 'delivered', 10))
    const ids = await store([payload(reads.slice(0, 15)), payload(reads.slice(15)), payload(delivereds), payload(reads), payload(delivereds)])

    expect(await applyDueEvents(deps, 100)).toEqual({ claimed: 5, events: 120, applyAlone: [] })
    for (const m of await messages(wamids)) {
      expect(m).toMatchObject({ status: 'read', delivered_at: at(10), read_at: at(20) })
    }
    const events = await t.db.sql`select processed_at, attempts, error from public.webhook_events where id = any(${ids}::uuid[])`
    expect(events).toHaveLength(5)
    for (const e of events) expect(e).toMatchObject({ processed_at: expect.any(Date), attempts: 1, error: null })
  })

  it('writes nothing for statuses that change nothing', async () => {
    const wamids = await sentMessages(10)
    await store([payload(wamids.map((w) => status(w, 'delivered', 10)))])
    await applyDueEvents(deps, 100)
    const before = await messages(wamids)

    // The same statuses again, and older ones: no row version changes.
    await store([payload(wamids.map((w) => status(w, 'delivered', 10))), payload(wamids.map((w) => status(w, 'sent', 30)))])
    expect((await applyDueEvents(deps, 100)).claimed).toBe(2)
    expect(await messages(wamids)).toEqual(before)

    // An earlier delivered report moves the timestamp back (and only that).
    await store([payload([status(wamids[0]!, 'delivered', 5)])])
    await applyDueEvents(deps, 100)
    const [first] = await messages([wamids[0]!])
    expect(first).toMatchObject({ status: 'delivered', delivered_at: at(5) })
    expect(first!.xmin).not.toBe(before[0]!.xmin)
  })

  it('applies a poison payload alone: the rest of its batch lands, it is retried with backoff, then dead until ops retry or clear it', async () => {
    const wamids = await sentMessages(3)
    const poison = `${wamids[1]!}.poison`
    await t.db.sql`update public.messages set wamid = ${poison} where wamid = ${wamids[1]!}`
    // A row that fails on every update, as a constraint or trigger failure would.
    await t.db.sql.unsafe(`
      create or replace function public.refuse_poison() returns trigger language plpgsql as $$
      begin raise exception 'this row cannot be updated'; end $$;
      create trigger messages_refuse_poison before update on public.messages
        for each row when (old.wamid like '%.poison') execute function public.refuse_poison();`)
    try {
      const [good1, bad, good2] = await store([
        payload([status(wamids[0]!, 'delivered', 10)]),
        payload([status(poison, 'delivered', 10)]),
        payload([status(wamids[2]!, 'delivered', 10)]),
      ])
      const pass = await applyDueEvents(deps, 100)
      expect(pass).toEqual({ claimed: 3, events: 0, applyAlone: [good1, bad, good2] })
      for (const id of pass.applyAlone) await processWebhookEvent(id, deps).catch(() => undefined)

      expect((await messages([wamids[0]!, wamids[2]!])).map((m) => m.status)).toEqual(['delivered', 'delivered'])
      const [failed] = await t.db.sql`select processed_at, attempts, error, retry_at > now() as "waits" from public.webhook_events where id = ${bad!}`
      expect(failed).toMatchObject({ processed_at: null, attempts: 1, error: expect.stringContaining('this row cannot be updated'), waits: true })
      expect(await webhookEventStats(t.db)).toMatchObject({ pending: 0, delayed: 1, dead: 0 })
      // Waiting for its retry, it is not claimed again.
      expect((await applyDueEvents(deps, 100)).claimed).toBe(0)

      // Its last attempt fails too: dead, and never claimed again.
      await t.db.sql`update public.webhook_events set attempts = ${WEBHOOK_MAX_ATTEMPTS - 1}, retry_at = null where id = ${bad!}`
      expect(await applyDueEvents(deps, 100)).toEqual({ claimed: 1, events: 0, applyAlone: [bad] })
      await expect(processWebhookEvent(bad!, deps)).rejects.toThrow('this row cannot be updated')
      expect(await webhookEventStats(t.db)).toMatchObject({ pending: 0, dead: 1 })
      expect((await applyDueEvents(deps, 100)).claimed).toBe(0)

      // Ops give it another set of attempts; with the cause gone it applies.
      await t.db.sql`drop trigger messages_refuse_poison on public.messages`
      expect(await retryDeadEvents(t.db, 'not-an-id')).toBe(0)
      expect(await retryDeadEvents(t.db, bad)).toBe(1)
      expect(await applyDueEvents(deps, 100)).toEqual({ claimed: 1, events: 1, applyAlone: [] })
      expect((await messages([poison]))[0]!.status).toBe('delivered')
      expect(await webhookEventStats(t.db)).toMatchObject({ pending: 0, delayed: 0, dead: 0 })
    } finally {
      await t.db.sql.unsafe('drop trigger if exists messages_refuse_poison on public.messages; drop function if exists public.refuse_poison()')
    }
  })

  it('clears dead payloads into the raw log, marked as given up', async () => {
    const [id] = await store([payload([])])
    await t.db.sql`update public.webhook_events set attempts = ${WEBHOOK_MAX_ATTEMPTS}, error = 'boom' where id = ${id!}`
    expect(await clearDeadEvents(t.db)).toBe(1)
    const [row] = await t.db.sql`select processed_at, error from public.webhook_events where id = ${id!}`
    expect(row).toMatchObject({ processed_at: expect.any(Date), error: 'given up: boom' })
  })

  it('parks a status for an unknown wamid and applies it in a later pass once the send is recorded', async () => {
    const [wamid] = await sentMessages(1)
    const late = `${wamid!}.late`
    await t.db.sql`update public.messages set wamid = null, status = 'queued' where wamid = ${wamid!}`
    await store([payload([status(late, 'delivered', 10)])])
    await applyDueEvents(deps, 100)
    expect(await t.db.sql`select status from public.pending_statuses where wamid = ${late}`).toEqual([{ status: 'delivered' }])

    // The send's answer is written (by the sent-recorder, say) without applying what was parked.
    await t.db.sql`update public.messages set wamid = ${late}, status = 'sent' where wamid is null and status = 'queued' and tenant_id = ${a.tenantId}`
    await store([payload([])])
    await applyDueEvents(deps, 100)
    expect((await messages([late]))[0]).toMatchObject({ status: 'delivered', delivered_at: at(10) })
    expect(await t.db.sql`select 1 from public.pending_statuses where wamid = ${late}`).toHaveLength(0)
  })
})
