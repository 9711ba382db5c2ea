// The funnel page's data: counts, failures grouped by Meta's code with our explanation, why recipients
// were skipped, and the cumulative curve of each step over time.
import type { TransactionSql } from 'postgres'
import { classifyGraphError } from '@/core/whatsapp/graph-errors'
import { EMPTY_FUNNEL, funnelsOf } from './campaign-funnel-sql'
import type { CampaignFunnelView, FunnelPoint } from './campaign-views'

/** Bucket sizes for the chart: the smallest that keeps it under MAX_POINTS points. */
const BUCKETS_SECONDS = [1, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 86400]
const MAX_POINTS = 120
const STEPS = ['sent', 'delivered', 'read', 'replied', 'failed'] as const

export const explainError = (code: number | null, title: string | null) =>
  code === null ? null : classifyGraphError({ body: { error: { code, message: title ?? '' } } }).agentMessage

export async function campaignFunnel(tx: TransactionSql, tenantId: string, campaignId: string, now = new Date()): Promise<CampaignFunnelView> {
  const funnel = (await funnelsOf(tx, tenantId, [campaignId])).get(campaignId) ?? EMPTY_FUNNEL
  const failures = await tx<{ code: number | null; title: string | null; count: number }[]>`
    select error_code as code, min(error_title) as title, count(*)::int as count
    from public.campaign_recipient_progress where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'failed'
    group by error_code order by count(*) desc`
  const skipped = await tx<{ reason: string; count: number }[]>`
    select coalesce(skip_reason, 'unknown') as reason, count(*)::int as count
    from public.campaign_recipients where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'skipped'
    group by 1 order by 2 desc`

  const [span] = await tx<{ from: Date | null; to: Date | null }[]>`
    select min(sent_at) as from, greatest(max(sent_at), max(delivered_at), max(read_at), max(replied_at), max(failed_at)) as to
    from public.campaign_recipient_progress where tenant_id = ${tenantId} and campaign_id = ${campaignId}`
  const from = span?.from ?? null
  const seconds = from ? Math.max(1, ((span!.to ?? now).getTime() - from.getTime()) / 1000) : 1
  const bucketSeconds = BUCKETS_SECONDS.find((b) => seconds / b <= MAX_POINTS) ?? 86400
  const timeline: FunnelPoint[] = []
  if (from) {
    const rows = await tx<{ step: (typeof STEPS)[number]; bucket: number; n: number }[]>`
      select step, floor(extract(epoch from at - ${from}::timestamptz) / ${bucketSeconds})::int as bucket, count(*)::int as n
      from public.campaign_recipient_progress r,
           lateral (values ('sent', r.sent_at), ('delivered', r.delivered_at), ('read', r.read_at), ('replied', r.replied_at), ('failed', r.failed_at)) v(step, at)
      where r.tenant_id = ${tenantId} and r.campaign_id = ${campaignId} and v.at is not null and v.at >= ${from}
      group by 1, 2`
    const last = Math.max(0, ...rows.map((r) => r.bucket))
    const perBucket = Array.from({ length: last + 1 }, () => ({ sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 }))
    for (const r of rows) perBucket[r.bucket]![r.step] += r.n
    const running = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 }
    perBucket.forEach((counts, i) => {
      for (const step of STEPS) running[step] += counts[step]
      timeline.push({ at: new Date(from.getTime() + i * bucketSeconds * 1000), ...running })
    })
  }
  return { funnel, failures: failures.map((f) => ({ ...f, explanation: explainError(f.code, f.title) })), skipped, timeline, bucketSeconds }
}
