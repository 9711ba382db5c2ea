// Keeps running campaigns flowing into the send queues, in the worker. Each tick, per sending number, it
// tops the queue up to about `leadSeconds` of the number's MPS — enough that the number never idles, little
// enough that a pause bites at once and a reply from the inbox never waits behind a whole campaign. The
// number's share is split evenly between its running campaigns, and campaigns are served in round robin
// (longest unfed first) with a bounded batch each, so one tenant's huge campaign cannot starve another's.
// The portfolio's messaging limit caps feeding too (the send engine enforces it per message; this keeps
// the rest waiting as pending instead of churning through the queue). It also starts scheduled campaigns
// whose QStash delivery is overdue, applies the governor, and completes campaigns with nobody left.
import type { QuietHours, VariableMapping } from '@/core/campaigns/campaign-schemas'
import type { CampaignTemplate } from '@/core/campaigns/contact-values'
import { governorVerdict } from '@/core/campaigns/governor'
import { startCampaign } from '@/core/campaigns/campaign-lifecycle'
import { sendQueueFor, type JobQueue } from '@/core/sending/job-queue'
import { messagingLimitOf, MESSAGING_LIMIT_WINDOW_MS } from '@/core/sending/messaging-limit'
import type { Pacer } from '@/core/sending/pacer'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { portfolioKey } from '@/server/sending/engine-keys'
import { enqueueSends } from '@/server/sending/hand-off'
import { feedCampaign, type RunningCampaign } from './feed-campaign'

export interface CampaignFeederOptions {
  tickMs: number
  /** Seconds of the number's MPS kept queued ahead of the sender. */
  leadSeconds: number
  /** The most recipients one campaign takes in one tick. */
  maxBatch: number
  governorEveryMs: number
  /** A scheduled campaign this late is started here: its QStash delivery was lost or QStash is not configured. */
  overdueMs: number
  /** A send this old without a delivery report counts against the delivery rate. */
  settleMs: number
  /** After a failed hand-off to the send queue, the number is not fed for this long (the sweep queues what was left out). */
  handOffBackoffMs: number
}

export const DEFAULT_FEEDER_OPTIONS: CampaignFeederOptions = {
  tickMs: 250,
  leadSeconds: 2,
  maxBatch: 1_000,
  governorEveryMs: 1_000,
  overdueMs: 120_000,
  settleMs: 60_000,
  handOffBackoffMs: 10_000,
}

interface CampaignRow extends Omit<RunningCampaign, 'template'> {
  mps: number
  tier: string
  limit: number | null
  portfolio: string
  numberStatus: string
  minDeliveryRate: number | null
  governorSince: Date
  templateName: string
  language: string
  category: string
  components: CampaignTemplate['components']
  templateStatus: string
  quietHours: QuietHours | null
  variables: VariableMapping
}

/** Numbers in these states cannot send: their campaigns pause until an admin acts. */
const NUMBER_BLOCKED = new Set(['disconnected', 'needs_attention', 'restricted', 'banned'])

export function createCampaignFeeder(deps: { db: Db; queue: JobQueue; pacer: Pacer }, overrides: Partial<CampaignFeederOptions> = {}) {
  const options = { ...DEFAULT_FEEDER_OPTIONS, ...overrides }
  const lastJudged = new Map<string, number>()
  const handOffFailedAt = new Map<string, number>()
  const counters = { queued: 0, skipped: 0, started: 0, completed: 0, paused: 0 }
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  async function pause(id: string, reason: string) {
    const [row] = await deps.db.sql`
      update public.campaigns set status = 'paused', paused_reason = ${reason} where id = ${id} and status = 'running' returning id`
    if (row) {
      counters.paused++
      log.warn({ campaignId: id, reason }, 'campaign paused by the governor')
    }
  }

  async function judge(c: CampaignRow): Promise<boolean> {
    const blocked =
      c.templateStatus !== 'APPROVED'
        ? `The template ${c.templateName} is ${c.templateStatus} at Meta`
        : NUMBER_BLOCKED.has(c.numberStatus)
          ? `The sending number is ${c.numberStatus.replace('_', ' ')}`
          : null
    if (blocked) {
      await pause(c.id, blocked)
      return true
    }
    const last = lastJudged.get(c.id) ?? 0
    if (Date.now() - last < options.governorEveryMs) return false
    lastJudged.set(c.id, Date.now())
    const since = c.governorSince
    const settledBefore = new Date(Date.now() - options.settleMs)
    // One pass over the campaign's messages (what Meta answered is theirs), grouped by Meta's error code:
    // through the recipients it took a join per recipient, and at 50,000 of them, a fifth of a second.
    const rows = await deps.db.sql<{ code: number | null; failed: number; attempted: number; settled: number; settledDelivered: number }[]>`
      select error_code as code,
             count(*) filter (where failed_at >= ${since})::int as failed,
             count(*)::int as attempted,
             count(*) filter (where failed_at >= ${since} or (sent_at >= ${since} and sent_at < ${settledBefore}))::int as settled,
             count(*) filter (where sent_at >= ${since} and sent_at < ${settledBefore} and delivered_at is not null)::int as "settledDelivered"
      from public.messages
      where tenant_id = ${c.tenantId} and campaign_id = ${c.id} and (sent_at >= ${since} or (status = 'failed' and failed_at >= ${since}))
      group by error_code`
    const sum = (key: 'attempted' | 'settled' | 'settledDelivered') => rows.reduce((n, r) => n + r[key], 0)
    const verdict = governorVerdict({
      failuresByCode: new Map(rows.filter((r) => r.failed > 0).map((r) => [r.code, r.failed])),
      minDeliveryRate: c.minDeliveryRate,
      attempted: sum('attempted'),
      settled: sum('settled'),
      settledDelivered: sum('settledDelivered'),
    })
    if (!verdict) return false
    await pause(c.id, verdict.pause)
    return true
  }

  async function startOverdue() {
    const due = await deps.db.sql<{ id: string; tenantId: string }[]>`
      select id, tenant_id as "tenantId" from public.campaigns
      where status = 'scheduled' and scheduled_at < ${new Date(Date.now() - options.overdueMs)} limit 20`
    for (const c of due) {
      if (await deps.db.withService((tx) => startCampaign(tx, c.tenantId, c.id))) {
        counters.started++
        log.warn({ campaignId: c.id }, 'started an overdue scheduled campaign (its QStash delivery did not arrive)')
      }
    }
  }

  async function tick() {
    await startOverdue()
    const campaigns = await deps.db.sql<CampaignRow[]>`
      select c.id, c.tenant_id as "tenantId", c.number_id as "numberId", n.phone_number_id as "phoneNumberId", n.throughput_mps as mps,
             n.status as "numberStatus", a.messaging_limit_tier as tier, a.messaging_limit as "limit",
             coalesce(a.business_id, a.id::text) as portfolio, c.quiet_hours as "quietHours", c.variable_mapping as variables,
             c.min_delivery_rate::float8 as "minDeliveryRate", coalesce(c.governor_since, c.started_at) as "governorSince",
             t.name as "templateName", t.language, t.category, t.components, t.status as "templateStatus"
      from public.campaigns c
      join public.whatsapp_numbers n on n.id = c.number_id
      join public.whatsapp_business_accounts a on a.id = n.account_id
      join public.templates t on t.id = c.template_id
      where c.status = 'running'
      order by c.last_fed_at nulls first`
    if (!campaigns.length) return
    // Whether any recipient is left is asked, not counted: an audience may be huge. What is in flight is
    // read from each number's send queue (a couple of seconds' worth), whoever's messages they are.
    const pendingRows = await deps.db.sql<{ id: string }[]>`
      select c.id from unnest(${campaigns.map((c) => c.id)}::uuid[]) as c(id)
      where exists (select 1 from public.campaign_recipients r where r.campaign_id = c.id and r.status = 'pending')`
    const pending = new Set(pendingRows.map((r) => r.id))
    const queuedByNumber = new Map<string, number>()
    for (const phoneNumberId of new Set(campaigns.map((c) => c.phoneNumberId))) {
      const stats = await deps.queue.stats(sendQueueFor(phoneNumberId))
      queuedByNumber.set(phoneNumberId, stats.pending + stats.delayed + stats.processing)
    }
    const inFlight = (filter: (c: CampaignRow) => boolean) =>
      [...new Set(campaigns.filter(filter).map((c) => c.phoneNumberId))].reduce((n, id) => n + queuedByNumber.get(id)!, 0)
    const remainingByPortfolio = new Map<string, number>()

    for (const c of campaigns) {
      if (!pending.has(c.id)) {
        // Done once no recipient waits and none of its messages is still to be sent (or taken back).
        const [done] = await deps.db.sql`
          update public.campaigns set status = 'completed', completed_at = now()
          where id = ${c.id} and status = 'running'
            and not exists (select 1 from public.campaign_recipients where campaign_id = ${c.id} and status = 'pending')
            and not exists (select 1 from public.messages where tenant_id = ${c.tenantId} and campaign_id = ${c.id} and status in ('pending', 'queued'))
          returning id`
        if (done) {
          counters.completed++
          continue
        }
      }
      if (await judge(c)) continue
      if (!pending.has(c.id)) continue
      // Messages a failed hand-off left out of the queue are not counted in flight until the sweep
      // queues them: feeding the number meanwhile would pile up more.
      if (Date.now() - (handOffFailedAt.get(c.phoneNumberId) ?? -Infinity) < options.handOffBackoffMs) continue

      const sharing = campaigns.filter((o) => o.numberId === c.numberId && pending.has(o.id)).length
      let budget = Math.floor((Math.ceil(c.mps * options.leadSeconds) - inFlight((o) => o.numberId === c.numberId)) / Math.max(1, sharing))
      const limit = messagingLimitOf(c)
      if (Number.isFinite(limit)) {
        if (!remainingByPortfolio.has(c.portfolio)) {
          const used = await deps.pacer.uniqueCount(portfolioKey(c.portfolio), MESSAGING_LIMIT_WINDOW_MS)
          remainingByPortfolio.set(c.portfolio, limit - used - inFlight((o) => o.portfolio === c.portfolio))
        }
        budget = Math.min(budget, remainingByPortfolio.get(c.portfolio)!)
      }
      budget = Math.min(budget, options.maxBatch)
      if (budget <= 0) continue
      const { templateName, language, category, components, ...rest } = c
      const result = await feedCampaign(deps.db, { ...rest, template: { name: templateName, language, category, components } }, budget)
      if (remainingByPortfolio.has(c.portfolio)) remainingByPortfolio.set(c.portfolio, remainingByPortfolio.get(c.portfolio)! - result.queued.length)
      queuedByNumber.set(c.phoneNumberId, queuedByNumber.get(c.phoneNumberId)! + result.queued.length)
      counters.queued += result.queued.length
      counters.skipped += result.skipped
      // After the commit; if this fails the sweep enqueues the rows.
      if (result.queued.length)
        await enqueueSends(deps.queue, result.queued).catch((err) => {
          handOffFailedAt.set(c.phoneNumberId, Date.now())
          log.error({ err, campaignId: c.id }, 'enqueueing campaign sends failed; the sweep will retry')
        })
    }
  }

  return {
    counters,
    tick,
    start() {
      timer ??= setInterval(() => {
        if (running) return
        running = tick()
          .catch((err) => log.error({ err }, 'campaign feeder tick failed'))
          .finally(() => (running = undefined))
      }, options.tickMs)
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await running
    },
  }
}

export type CampaignFeeder = ReturnType<typeof createCampaignFeeder>
