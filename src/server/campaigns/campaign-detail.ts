// A campaign as its page shows it, including why sending is held back right now, which needs the send
// engine's view of the portfolio's messaging limit.
import type { TransactionSql } from 'postgres'
import { getCampaign } from '@/core/campaigns/campaign-records'
import type { CampaignDetail } from '@/core/campaigns/campaign-views'
import { reviewCampaign, loadReviewSubject } from '@/core/campaigns/review-campaign'
import { messagingLimitOf, MESSAGING_LIMIT_WINDOW_MS } from '@/core/sending/messaging-limit'
import { portfolioKey } from '@/server/sending/engine-keys'
import { sendEngine } from '@/server/sending/engine'

/**
 * The portfolio's usage. With the engine's state in Postgres it is read inside the request's transaction,
 * as the member (private.portfolio_usage checks the account is theirs): a second connection would wait
 * forever for this one on the embedded single-session database.
 */
function usedInWindow(tx: TransactionSql) {
  return async (account: { accountId: string; portfolio: string }) => {
    const engine = sendEngine()
    if (engine.driver !== 'postgres') return engine.pacer.uniqueCount(portfolioKey(account.portfolio), MESSAGING_LIMIT_WINDOW_MS)
    const [row] = await tx<{ n: number | null }[]>`select private.portfolio_usage(${account.accountId}, ${MESSAGING_LIMIT_WINDOW_MS}::double precision) as n`
    return row?.n ?? 0
  }
}

export async function campaignDetail(tx: TransactionSql, tenantId: string, id: string): Promise<CampaignDetail> {
  const campaign = await getCampaign(tx, tenantId, id)
  return { ...campaign, waiting: campaign.status === 'running' && campaign.funnel.waiting > 0 ? await waitingReason(tx, tenantId, id) : null }
}

async function waitingReason(tx: TransactionSql, tenantId: string, id: string): Promise<CampaignDetail['waiting']> {
  const [row] = await tx<{ tier: string; limit: number | null; accountId: string; portfolio: string; pending: number; deferred: number }[]>`
    select a.id as "accountId", a.messaging_limit_tier as tier, a.messaging_limit as "limit", coalesce(a.business_id, a.id::text) as portfolio,
           (select count(*)::int from public.campaign_recipients r where r.campaign_id = c.id and r.status = 'pending') as pending,
           (select count(*)::int from public.campaign_recipients r where r.campaign_id = c.id and r.status = 'pending' and r.next_attempt_at > now()) as deferred
    from public.campaigns c join public.whatsapp_numbers n on n.id = c.number_id join public.whatsapp_business_accounts a on a.id = n.account_id
    where c.tenant_id = ${tenantId} and c.id = ${id}`
  if (!row || !row.pending) return null
  const limit = messagingLimitOf(row)
  if (Number.isFinite(limit) && (await usedInWindow(tx)(row)) >= limit)
    return {
      reason: 'messaging_limit',
      count: row.pending,
      message: `The messaging limit of ${limit.toLocaleString('en')} customers per 24 hours is reached; ${row.pending.toLocaleString('en')} recipients wait and go out as capacity frees up`,
    }
  if (row.deferred)
    return { reason: 'quiet_hours', count: row.deferred, message: `${row.deferred.toLocaleString('en')} recipients are in their quiet hours and go out when those end` }
  return null
}

export const reviewFor = async (tx: TransactionSql, tenantId: string, id: string, sample: number) =>
  reviewCampaign(tx, await loadReviewSubject(tx, tenantId, id), { usedInWindow: usedInWindow(tx) }, sample)
