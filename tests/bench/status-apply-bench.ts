// `npm run bench:status-apply`: the worker's status apply alone. BENCH_STATUSES stored statuses
// (100,000 by default: sent, delivered and read of a third as many campaign messages, in that order of
// arrival) wait in webhook_events, BENCH_STATUSES_PER_PAYLOAD to a POST (100 by default, as Meta packs
// them under load; 1 for one per POST); the webhook worker of this process drains them against a fresh
// database of the local PostgreSQL server. Prints statuses applied per second and what each cost, and
// checks that every message and every recipient ended read (exits 1 otherwise).
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { createDb } from '@/server/db/create-db'
import { migrate } from '@/server/db/migrate'
import { createWebhookWorker } from '@/server/sending/webhook-worker'
import { createPostgresJobQueue } from '@/server/sending/postgres/postgres-job-queue'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../integration/support/assert-local-database'
import { TEST_ENCRYPTION_KEY, whatsappTenant } from '../integration/support/whatsapp-tenant'
import { formatCost, startCostMeter } from './support/cost-meter'

const STATUSES = Number(process.env.BENCH_STATUSES ?? 100_000)
const PER_PAYLOAD = Number(process.env.BENCH_STATUSES_PER_PAYLOAD ?? 100)
const MESSAGES = Math.ceil(STATUSES / 3)
const DATABASE = 'conversa_bench_status_apply'
const NUMBER = { phoneNumberId: '130000000000001', display: '+55 11 4000-0001' }
const WABA = '130000000000900'
const BASE_TS = 1_795_500_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function main() {
  const base = testDatabaseUrl()
  assertLocalDatabase(base)
  const admin = createDb(base, { max: 1 })
  await admin.sql.unsafe(`drop database if exists ${DATABASE} with (force)`)
  await admin.sql.unsafe(`create database ${DATABASE}`)
  const url = withDatabase(base, DATABASE)
  const db = createDb(url, { max: 6 })
  let exitCode = 0
  try {
    await migrate(db.sql)
    const tenant = await whatsappTenant(db, 'bench', { wabaId: WABA, numbers: [NUMBER] })
    const numberId = tenant.numbers[NUMBER.phoneNumberId]!
    const [campaign] = await db.sql<{ id: string }[]>`select id from public.campaigns where tenant_id = ${tenant.tenantId} limit 1`

    console.log(`seeding ${MESSAGES.toLocaleString('en')} sent campaign messages and ${STATUSES.toLocaleString('en')} stored statuses, ${PER_PAYLOAD} per payload …`)
    await db.sql`
      insert into public.contacts (tenant_id, wa_id, name) select ${tenant.tenantId}, '5511' || lpad(i::text, 9, '0'), 'Bench ' || i from generate_series(1, ${MESSAGES}) i`
    await db.sql`
      insert into public.conversations (tenant_id, number_id, contact_id, status)
      select ${tenant.tenantId}, ${numberId}, id, 'closed' from public.contacts where tenant_id = ${tenant.tenantId} and wa_id like '5511%'`
    await db.sql`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, campaign_id, sent_at)
      select ${tenant.tenantId}, cv.id, ${numberId}, ct.id, 'wamid.bench.' || substr(ct.wa_id, 5), 'outbound', 'template', 'sent', '{}', ${campaign!.id}, to_timestamp(${BASE_TS} + 60.3)
      from public.contacts ct join public.conversations cv on cv.contact_id = ct.id where ct.tenant_id = ${tenant.tenantId} and ct.wa_id like '5511%'`
    await db.sql`
      insert into public.campaign_recipients (tenant_id, campaign_id, contact_id, message_id, status)
      select ${tenant.tenantId}, ${campaign!.id}, m.contact_id, m.id, 'queued'
      from public.messages m where m.tenant_id = ${tenant.tenantId} and m.wamid like 'wamid.bench.%'`
    // Statuses in the order Meta sends them: every message's sent, then delivered, then read, PER_PAYLOAD to a POST.
    await db.sql`
      with s as (
        select n, step from generate_series(1, ${MESSAGES}) n cross join unnest(array['sent', 'delivered', 'read']) with ordinality as x(step, k)
        order by k, n limit ${STATUSES}),
      numbered as (select n, step, (row_number() over () - 1) / ${PER_PAYLOAD} as payload from s)
      insert into public.webhook_events (payload)
      select jsonb_build_object('object', 'whatsapp_business_account', 'entry', jsonb_build_array(jsonb_build_object('id', ${WABA}::text,
               'changes', jsonb_build_array(jsonb_build_object('field', 'messages', 'value', jsonb_build_object(
                 'messaging_product', 'whatsapp',
                 'metadata', jsonb_build_object('display_phone_number', '551140000001', 'phone_number_id', ${NUMBER.phoneNumberId}::text),
                 'statuses', jsonb_agg(jsonb_build_object('id', 'wamid.bench.' || lpad(n::text, 9, '0'), 'status', step,
                   'timestamp', (${BASE_TS} + 60 + case step when 'sent' then 0 when 'delivered' then 1 else 2 end)::text,
                   'recipient_id', '5511' || lpad(n::text, 9, '0')) order by n)))))))
      from numbered group by payload order by payload`
    await db.sql`vacuum analyze`

    const worker = createWebhookWorker({
      db,
      queue: createPostgresJobQueue(db.sql),
      graph: createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0' }),
      storage: createFilesystemStorage('.data/bench-status-apply'),
      encryptionKey: TEST_ENCRYPTION_KEY,
    })
    const meter = await startCostMeter({ processes: { worker: process.pid } }, url)
    const started = performance.now()
    void worker.start()
    let left = 1
    while (left > 0) {
      await sleep(100)
      const [row] = await db.sql<{ left: number }[]>`select count(*)::int as "left" from public.webhook_events where processed_at is null`
      left = row!.left
    }
    const seconds = (performance.now() - started) / 1000
    await worker.stop()
    const cost = await meter.stop()

    const [check] = await db.sql<{ messages: number; recipients: number; problems: number }[]>`
      select (select count(*)::int from public.messages where wamid like 'wamid.bench.%' and status = 'read' and delivered_at is not null) as messages,
             (select count(*)::int from public.campaign_recipient_progress where status = 'read') as recipients,
             (select count(*)::int from public.webhook_events where error is not null) as problems`
    console.log(`\nstatus apply — ${STATUSES.toLocaleString('en')} statuses, ${PER_PAYLOAD} per payload (${new Date().toISOString()}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')})`)
    console.table([{
      'statuses': STATUSES,
      'seconds': seconds.toFixed(1),
      'statuses/s (≥ 10,000)': Math.round(STATUSES / seconds),
      'worker batches': worker.counters.batches,
      'messages read': check!.messages,
      'recipients read': check!.recipients,
      'payloads with problems': check!.problems,
    }])
    console.log(`\n${formatCost(cost, STATUSES, 'status update')}`)
    const expectRead = STATUSES >= MESSAGES * 3 ? MESSAGES : Math.max(0, STATUSES - MESSAGES * 2)
    if (check!.messages !== expectRead || check!.recipients !== expectRead || check!.problems) {
      console.log(`MISMATCH: expected ${expectRead} messages and recipients read and no problems`)
      exitCode = 1
    }
  } finally {
    await db.end()
    await admin.sql.unsafe(`drop database if exists ${DATABASE} with (force)`)
    await admin.end()
  }
  process.exit(exitCode)
}

await main()
