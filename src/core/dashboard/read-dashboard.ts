// The workspace's at-a-glance figures: each number's health and limits, today's message counts (from
// local midnight in the workspace's time zone) and who holds how many open conversations.
import type { TransactionSql } from 'postgres'

export interface DashboardNumber {
  id: string
  displayPhone: string | null
  verifiedName: string | null
  status: string
  qualityRating: string
  messagingLimitTier: string
  throughputMps: number
}

export interface Dashboard {
  numbers: DashboardNumber[]
  today: { inbound: number; outbound: number; failed: number }
  openByAgent: { assigneeId: string | null; name: string; open: number }[]
}

export async function readDashboard(tx: TransactionSql, tenantId: string): Promise<Dashboard> {
  const numbers = await tx<DashboardNumber[]>`
    select n.id, n.display_phone_number as "displayPhone", n.verified_name as "verifiedName", n.status,
           n.quality_rating as "qualityRating", a.messaging_limit_tier as "messagingLimitTier", n.throughput_mps as "throughputMps"
    from public.whatsapp_numbers n join public.whatsapp_business_accounts a on a.id = n.account_id
    where n.tenant_id = ${tenantId}
    order by n.created_at, n.id`
  // Notes are ours, not messages exchanged with customers. "failed" counts today's outbound that failed.
  const [today] = await tx<Dashboard['today'][]>`
    with since as (
      select (date_trunc('day', now() at time zone t.timezone) at time zone t.timezone) as at
      from public.tenants t where t.id = ${tenantId}
    )
    select count(*) filter (where m.direction = 'inbound')::int as inbound,
           count(*) filter (where m.direction = 'outbound')::int as outbound,
           count(*) filter (where m.direction = 'outbound' and m.status = 'failed')::int as failed
    from public.messages m
    where m.tenant_id = ${tenantId} and m."timestamp" >= (select at from since) and m.type <> 'note'`
  const openByAgent = await tx<Dashboard['openByAgent']>`
    select c.assignee_id as "assigneeId",
           case when c.assignee_id is null then 'Unassigned' else coalesce(p.full_name, p.email, 'Team member') end as name,
           count(*)::int as open
    from public.conversations c left join public.profiles p on p.id = c.assignee_id
    where c.tenant_id = ${tenantId} and c.status = 'open'
    group by c.assignee_id, p.full_name, p.email
    order by open desc, name`
  return { numbers, today: today ?? { inbound: 0, outbound: 0, failed: 0 }, openByAgent }
}
