// `npm run bench:campaign`: one campaign of BENCH_RECIPIENTS contacts (50,000 by default) on one number
// at 1,000 MPS, through the whole product: the stack's app, worker (campaign feeder + send engine) and
// Meta emulator with its status webhooks. Contacts are seeded in SQL; the template is synced from the
// emulator and the campaign created and launched through the API. Prints the wall time from launch to
// the last send against recipients / MPS, the worker's peak RSS, the per-second send rate, the funnel
// once the status webhooks have drained and how long after the last send it was complete, what one sent
// message cost from the launch to the end of the drain (database work, WAL, CPU per process), and checks
// every recipient was messaged exactly once and that the funnel the page shows equals a direct count of
// the messages' statuses (exits 1 on a mismatch). BENCH_STATUS_BATCHING=auto|on|off sets the emulator's
// status batching (auto by default); BENCH_STATUS_FAULTS=loss=0.01,duplicate=0.05,reorder=0.1 makes it
// lose, duplicate and reorder status webhooks as Meta may. QUEUE_DRIVER=upstash puts the send queues and
// pacers on Upstash (the stand-in over the local Redis), as a Vercel deployment runs them, and prints the
// Upstash commands billed per message. Needs the local PostgreSQL (TEST_DATABASE_URL).
import { readFileSync } from 'node:fs'
import { createDb } from '@/server/db/create-db'
import { DEMO_NUMBER } from '../../dev/meta-emulator/env-options'
import { percentile } from '../load/support/timing'
import { servicePid, signIn, startBenchStack } from './support/bench-stack'
import { formatCost, startCostMeter } from './support/cost-meter'

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 50_000)
const MPS = 1000
const PORT = Number(process.env.BENCH_PORT ?? 3230)
// BENCH_WEBHOOKS=0: no status webhooks, to measure the send path alone (the funnel then stops at sent).
const WEBHOOKS = process.env.BENCH_WEBHOOKS !== '0'
// The emulator's status batching: Meta packs a busy number's statuses into fewer webhook POSTs.
const STATUS_BATCHING = process.env.BENCH_STATUS_BATCHING ?? 'auto'
if (!['auto', 'on', 'off'].includes(STATUS_BATCHING)) throw new Error(`BENCH_STATUS_BATCHING must be auto, on or off, not '${STATUS_BATCHING}'`)
const FAULTS = statusFaults(process.env.BENCH_STATUS_FAULTS ?? '')
const PHONE_NUMBER_ID = DEMO_NUMBER.phoneNumberId
const WA_PREFIX = '4475' // the bench contacts' numbers: this, then eight digits
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Sent {
  waId: string
}

interface Funnel {
  total: number
  open: number
  sent: number
  delivered: number
  read: number
  failed: number
  skipped: number
  last: Date | null
  lastSent: Date | null
}

/** `loss=0.01,duplicate=0.05,reorder=0.1` → the emulator's lossRate, duplicateRate and reorderRate. */
function statusFaults(spec: string): Record<string, number> {
  const names: Record<string, string> = { loss: 'lossRate', duplicate: 'duplicateRate', reorder: 'reorderRate' }
  return Object.fromEntries(
    spec.split(',').filter(Boolean).map((part) => {
      const [name, value] = part.split('=')
      const rate = Number(value)
      if (!names[name!] || !(rate >= 0 && rate <= 1)) throw new Error(`BENCH_STATUS_FAULTS: '${part}' is not loss|duplicate|reorder=<0..1>`)
      return [names[name!]!, rate]
    }),
  )
}

/** Resident memory of the worker every 500 ms; its pid is looked up again if a restart replaced it. */
function sampleRss(stack: Parameters<typeof servicePid>[0]) {
  let pid = servicePid(stack, 'worker')
  let peakKb = 0
  const pids = new Set<number>()
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
      peakKb = Math.max(peakKb, kb('VmRSS'), kb('VmHWM'))
      pids.add(pid!)
    } catch {
      pid = servicePid(stack, 'worker')
    }
  }
  read()
  const timer = setInterval(read, 500)
  return {
    stop() {
      read()
      clearInterval(timer)
      return { peakMb: Math.round(peakKb / 1024), pids: [...pids] }
    },
  }
}

async function api(base: string, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

async function emulator(url: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

async function main() {
  const stack = await startBenchStack({ database: 'conversa_bench_campaign', dataDir: '.data/bench-campaign', port: PORT })
  const base = `http://127.0.0.1:${PORT}`
  const meta = `http://127.0.0.1:${PORT + 1000}`
  const db = createDb(stack.databaseUrl, { max: 2 })
  const rss = sampleRss(stack)
  let exitCode = 0
  try {
    // Meta's top tier: 1,000 MPS and no messaging limit, at the emulator and in our records; the pair
    // rate is per customer and every recipient is a different one, so it stays off.
    await emulator(meta, '/control/config', { pairRateWindowMs: 0, ...(WEBHOOKS ? {} : { webhookUrl: null }) })
    await emulator(meta, '/control/numbers', { ...DEMO_NUMBER, mps: MPS, messagingLimitTier: 'TIER_UNLIMITED' })
    // An emulator without the setting refuses the key: the run goes on with whatever it does.
    const batching = await emulator(meta, '/control/config', { statusBatching: STATUS_BATCHING }).then(
      (r: { config: { statusBatching: string } }) => `status batching: ${r.config.statusBatching}`,
      (error: Error) => `status batching: the emulator's own (it refused statusBatching: ${error.message.slice(0, 120)})`,
    )
    if (Object.keys(FAULTS).length) await emulator(meta, '/control/config', FAULTS)
    console.log(`${batching}${Object.keys(FAULTS).length ? `, status webhook faults ${JSON.stringify(FAULTS)}` : ''}`)
    const [number] = await db.sql<{ id: string; tenantId: string }[]>`
      update public.whatsapp_numbers set throughput_mps = ${MPS} where phone_number_id = ${PHONE_NUMBER_ID} returning id, tenant_id as "tenantId"`
    await db.sql`update public.whatsapp_business_accounts set messaging_limit_tier = 'TIER_UNLIMITED' where tenant_id = ${number!.tenantId}`
    await db.sql`
      insert into public.contacts (tenant_id, wa_id, name, tags)
      select ${number!.tenantId}, ${WA_PREFIX} || lpad(i::text, 8, '0'), 'Bench Contact ' || i, '{campaign-bench}'
      from generate_series(1, ${RECIPIENTS}) i`

    const cookie = await signIn(base)
    await api(base, cookie, 'POST', '/api/templates/sync')
    const [template] = await db.sql<{ id: string }[]>`
      select id from public.templates where tenant_id = ${number!.tenantId} and name = 'hello_world' and status = 'APPROVED'`
    if (!template) throw new Error('the template sync brought no approved hello_world')
    const { campaign } = await api(base, cookie, 'POST', '/api/campaigns', {
      name: `Bench ${RECIPIENTS}`,
      numberId: number!.id,
      templateId: template.id,
      variables: {},
      audience: { source: 'filter', includeTags: ['campaign-bench'] },
      // The funnel is measured here; a governor pause would only hide the throughput figures.
      minDeliveryRate: null,
    })
    // One signed webhook first, so a `next dev` app has compiled its route before the status flood.
    if (WEBHOOKS) await emulator(meta, '/control/webhook', { payload: { object: 'whatsapp_business_account', entry: [] } })

    const meter = await startCostMeter(stack, stack.databaseUrl)
    console.log(`launching a campaign to ${RECIPIENTS.toLocaleString('en')} recipients at ${MPS} MPS …`)
    const launchedAt = Date.now()
    await api(base, cookie, 'POST', `/api/campaigns/${campaign.id}/launch`, {})
    const launchMs = Date.now() - launchedAt

    const funnel = async () =>
      (
        await db.sql<Funnel[]>`
          select count(*)::int as total,
                 count(*) filter (where status in ('pending', 'queued'))::int as open,
                 count(sent_at)::int as sent, count(delivered_at)::int as delivered, count(read_at)::int as read,
                 count(*) filter (where status = 'failed')::int as failed, count(*) filter (where status = 'skipped')::int as skipped,
                 max(greatest(sent_at, failed_at)) as last, max(sent_at) as "lastSent"
          from public.campaign_recipient_progress where campaign_id = ${campaign.id}`
      )[0]!
    // Done sending when nobody is left pending or queued; a paused campaign would wait forever. Asked
    // with two cheap questions a second, not the whole funnel: what the benchmark reads is not the
    // product's cost, and counting 50,000 recipients each second would show up in the database's CPU.
    const giveUpAt = launchedAt + Math.max(300_000, (RECIPIENTS / MPS) * 10_000)
    const unsent = async () =>
      (
        await db.sql<{ unsent: boolean; status: string; reason: string | null }[]>`
          select exists (select 1 from public.campaign_recipients where campaign_id = ${campaign.id} and status = 'pending')
                 or exists (select 1 from public.messages where tenant_id = ${number!.tenantId} and campaign_id = ${campaign.id} and status in ('pending', 'queued')) as unsent,
                 status, paused_reason as reason
          from public.campaigns where id = ${campaign.id}`
      )[0]!
    const accepted = async () => (await emulator(meta, '/control/stats')).numbers[PHONE_NUMBER_ID].accepted as number
    let reportedAt = launchedAt
    for (let state = await unsent(); state.unsent; state = await unsent()) {
      if (Date.now() > giveUpAt) throw new Error(`still sending after ${((Date.now() - launchedAt) / 1000).toFixed(0)} s`)
      if (state.status === 'paused') throw new Error(`the campaign was paused: ${state.reason}`)
      await sleep(1000)
      if (Date.now() - reportedAt >= 10_000) {
        reportedAt = Date.now()
        console.log(`  ${((Date.now() - launchedAt) / 1000).toFixed(0)} s: ${(await accepted()).toLocaleString('en')} accepted by Meta`)
      }
    }
    let now = await funnel()
    // When the delivered and read counts last changed: read once a second from here, so up to a second late.
    let countsFinalAt = Date.now()
    /** Reads the funnel again; true when any status count moved. */
    const refresh = async () => {
      const next = await funnel()
      const counted = next.delivered !== now.delivered || next.read !== now.read
      if (counted) countsFinalAt = Date.now()
      const moved = counted || next.failed !== now.failed
      now = next
      return moved
    }
    const wallSeconds = (now.last!.getTime() - launchedAt) / 1000
    const memory = rss.stop()

    // The funnel once the status webhooks have drained: the counts and the emulator's webhook counters
    // stop moving for 5 s with nothing pending there, or for 20 s (past its longest retry delay, 15 s)
    // when a POST the app never answered stays counted as pending.
    const webhookStats = async () => {
      const stats = await emulator(meta, '/control/stats')
      return { pending: stats.pending as number, ...(stats.numbers[PHONE_NUMBER_ID].webhooks as { posted: number; retried: number; failed: number; lost: number; duplicated: number }) }
    }
    const drainStarted = Date.now()
    let webhooks = await webhookStats()
    let stableFor = 0
    while ((stableFor < 5 || webhooks.pending > 0) && stableFor < 20 && Date.now() - drainStarted < 300_000) {
      await sleep(1000)
      const funnelMoved = await refresh()
      const counters = await webhookStats()
      const moved = funnelMoved || counters.posted !== webhooks.posted || counters.retried !== webhooks.retried || counters.failed !== webhooks.failed
      stableFor = moved ? 0 : stableFor + 1
      webhooks = counters
      if (Date.now() - reportedAt >= 10_000) {
        reportedAt = Date.now()
        console.log(`  draining: ${now.delivered} delivered, ${now.read} read, ${webhooks.pending} webhooks pending at the emulator`)
      }
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000
    // Cut off at the cap, statuses are still arriving: the funnel and the count would be read at different moments.
    const drained = webhooks.pending === 0 || stableFor >= 20
    const cost = await meter.stop()
    const completeSeconds = WEBHOOKS && now.lastSent ? ((countsFinalAt - now.lastSent.getTime()) / 1000).toFixed(1) : 'n/a'

    const sent = ((await emulator(meta, `/control/sent?phoneNumberId=${PHONE_NUMBER_ID}`)).data as Sent[]).filter((s) => s.waId.startsWith(WA_PREFIX))
    // What the campaign page shows, against the messages themselves: read until they agree (a retried
    // webhook may land between the two reads), five tries a second apart; a lasting difference is a bug.
    type Counts = Record<'sent' | 'delivered' | 'read' | 'failed', number>
    const none: Counts = { sent: 0, delivered: 0, read: 0, failed: 0 }
    let shown = none
    let direct = none
    for (let tries = 1; drained; tries++) {
      shown = (await api(base, cookie, 'GET', `/api/campaigns/${campaign.id}/funnel`)).funnel.funnel as Counts
      direct = (await db.sql<Counts[]>`
        select count(*) filter (where status in ('sent', 'delivered', 'read', 'played'))::int as sent,
               count(*) filter (where status in ('delivered', 'read', 'played'))::int as delivered,
               count(*) filter (where status in ('read', 'played'))::int as read,
               count(*) filter (where status = 'failed')::int as failed
        from public.messages where campaign_id = ${campaign.id}`)[0]!
      if (tries === 5 || (['sent', 'delivered', 'read', 'failed'] as const).every((k) => shown[k] === direct[k])) break
      await sleep(1000)
    }
    const funnelMatches = (['sent', 'delivered', 'read', 'failed'] as const).every((k) => shown[k] === direct[k])
    const perRecipient = new Map<string, number>()
    for (const s of sent) perRecipient.set(s.waId, (perRecipient.get(s.waId) ?? 0) + 1)
    const duplicates = [...perRecipient.values()].reduce((n, times) => n + times - 1, 0)

    // Per-second sends from sent_at; the first and last seconds are partial, so they are left out.
    const perSecond = await db.sql<{ n: number }[]>`
      select count(*)::int as n from public.campaign_recipient_progress where campaign_id = ${campaign.id} and sent_at is not null
      group by date_trunc('second', sent_at) order by date_trunc('second', sent_at)`
    const full = perSecond.slice(1, -1).map((r) => r.n).sort((a, b) => a - b)
    const ideal = RECIPIENTS / MPS
    const pct = (n: number) => `${n.toLocaleString('en')} (${((n / now.total) * 100).toFixed(1)} %)`

    console.log(`\ncampaign — ${RECIPIENTS.toLocaleString('en')} recipients, one number at ${MPS} MPS${WEBHOOKS ? `, ${batching}` : ', no status webhooks'} (${new Date().toISOString()}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`)
    console.table([
      {
        'launch → last sent s': wallSeconds.toFixed(1),
        'minimum s': ideal.toFixed(1),
        'ratio (≤ 1.1)': (wallSeconds / ideal).toFixed(3),
        'launch request ms': launchMs,
        'sends/s p50': percentile(full, 50),
        'sends/s min': full[0] ?? 0,
        'sends/s max': full.at(-1) ?? 0,
        'worker peak RSS MB (< 300)': memory.peakMb,
      },
    ])
    console.table([
      {
        recipients: now.total,
        sent: pct(now.sent),
        delivered: pct(now.delivered),
        read: pct(now.read),
        failed: now.failed,
        skipped: now.skipped,
        'emulator accepted': sent.length,
        'duplicates (same waId twice)': duplicates,
        'webhooks posted / retried / failed / pending': `${webhooks.posted} / ${webhooks.retried} / ${webhooks.failed} / ${webhooks.pending}`,
        'statuses lost / duplicated by the emulator': `${webhooks.lost} / ${webhooks.duplicated}`,
        'drain s': drainSeconds.toFixed(1),
        'last send → delivered/read final s (≤ 15 batching on, ≤ 60 off)': completeSeconds,
      },
    ])
    if (!drained) console.log('the funnel was still moving when the drain cap was reached: not compared with a direct count')
    else console.log(`funnel shown ${JSON.stringify(shown)}; counted from the messages ${JSON.stringify(direct)}${funnelMatches ? '' : ' — MISMATCH'}`)
    if (drained && !funnelMatches) exitCode = 1
    console.log(`\n${formatCost(cost, now.sent, 'message')}`)
    if (memory.pids.length > 1) console.log(`the worker restarted during the run (pids ${memory.pids.join(', ')}); peak RSS is over all of them`)
    if (now.sent !== sent.length || perRecipient.size !== sent.length || duplicates > 0) {
      console.log(`MISMATCH: ${now.sent} recipients sent, the emulator accepted ${sent.length} messages for ${perRecipient.size} recipients (${duplicates} duplicates)`)
      exitCode = 1
    }
  } finally {
    rss.stop()
    await db.end()
    await stack.stop()
  }
  process.exit(exitCode)
}

await main()
