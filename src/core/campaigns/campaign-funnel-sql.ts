// The funnel counted from recipients' progress: each one's status is the furthest step it reached, so
// the steps are cumulative (a read message was delivered and sent) and waiting + sent + failed + skipped = total.
import type { TransactionSql } from 'postgres'
import type { Funnel } from './campaign-views'

export const EMPTY_FUNNEL: Funnel = { total: 0, waiting: 0, queued: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0 }

export async function funnelsOf(tx: TransactionSql, tenantId: string, campaignIds: string[]): Promise<Map<string, Funnel>> {
  if (!campaignIds.length) return new Map()
  const rows = await tx<(Funnel & { campaignId: string })[]>`
    select campaign_id as "campaignId", count(*)::int as total,
           count(*) filter (where status in ('pending', 'queued'))::int as waiting,
           count(*) filter (where status = 'queued')::int as queued,
           count(*) filter (where status in ('sent', 'delivered', 'read', 'replied'))::int as sent,
           count(*) filter (where status in ('delivered', 'read', 'replied'))::int as delivered,
           count(*) filter (where status in ('read', 'replied'))::int as read,
           count(*) filter (where status = 'replied')::int as replied,
           count(*) filter (where status = 'failed')::int as failed,
           count(*) filter (where status = 'skipped')::int as skipped
    from public.campaign_recipient_progress
    where tenant_id = ${tenantId} and campaign_id = any(${campaignIds}::uuid[])
    group by campaign_id`
  return new Map(rows.map(({ campaignId, ...funnel }) => [campaignId, funnel]))
}
