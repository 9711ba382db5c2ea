// State changes of a campaign: draft → scheduled → running ⇄ paused → completed | cancelled | failed.
// Each runs with the campaign row locked, so two clicks (or a click and the feeder) cannot interleave.
// The governor's start is cut to the whole second: Meta's failure times are whole seconds, and a failure
// in the same second as a (re)start must count.
import type { TransactionSql } from 'postgres'
import { conflict } from '@/core/errors/app-error'
import { audienceSql, exclusionSql } from './audience-sql'
import { audienceSchema, type Audience, type CampaignAction, type CampaignStatus } from './campaign-schemas'
import { lockCampaign } from './campaign-records'

/**
 * Materialises the recipients (one row per contact: the campaign + contact pair is the idempotency key,
 * so a repeated start adds nobody twice) and sets the campaign running. Excluded contacts are kept as
 * skipped with their reason, so the report can say who was left out and why.
 */
export async function startCampaign(tx: TransactionSql, tenantId: string, campaignId: string): Promise<boolean> {
  const { status } = await lockCampaign(tx, tenantId, campaignId)
  if (status !== 'draft' && status !== 'scheduled') return false
  const [campaign] = await tx<{ audience: Audience; category: string | null }[]>`
    select c.audience, t.category from public.campaigns c left join public.templates t on t.id = c.template_id where c.id = ${campaignId}`
  const audience = audienceSchema.parse(campaign!.audience ?? {})
  const exclusion = exclusionSql(tx, campaign!.category === 'MARKETING')
  await tx`
    insert into public.campaign_recipients (tenant_id, campaign_id, contact_id, status, skip_reason)
    select ${tenantId}, ${campaignId}, s.id, case when s.x is null then 'pending' else 'skipped' end, s.x
    from (select ct.id, ${exclusion} as x from public.contacts ct where ${audienceSql(tx, tenantId, campaignId, audience)}) s
    on conflict (campaign_id, contact_id) do nothing`
  await tx`
    update public.campaigns set status = 'running', started_at = coalesce(started_at, now()), governor_since = date_trunc('second', now()),
      scheduled_at = coalesce(scheduled_at, now()), schedule_message_id = null, paused_reason = null,
      total = (select count(*) from public.campaign_recipients where campaign_id = ${campaignId})
    where id = ${campaignId}`
  return true
}

export async function scheduleCampaign(tx: TransactionSql, tenantId: string, campaignId: string, at: Date): Promise<void> {
  const { status } = await lockCampaign(tx, tenantId, campaignId)
  if (status !== 'draft') throw conflict(`Only a draft can be scheduled; this campaign is ${status}`)
  await tx`update public.campaigns set status = 'scheduled', scheduled_at = ${at} where id = ${campaignId}`
}

export async function recordScheduleMessage(tx: TransactionSql, campaignId: string, messageId: string): Promise<void> {
  await tx`update public.campaigns set schedule_message_id = ${messageId} where id = ${campaignId} and status = 'scheduled'`
}

const ALLOWED: Record<CampaignAction, CampaignStatus[]> = {
  pause: ['running'],
  resume: ['paused'],
  cancel: ['scheduled', 'running', 'paused'],
  retry_failed: ['running', 'paused', 'completed'],
}

export interface ActionOutcome {
  status: CampaignStatus
  /** A scheduled campaign's QStash message, to delete now that it was cancelled. */
  unschedule: string | null
}

export async function applyCampaignAction(tx: TransactionSql, tenantId: string, campaignId: string, action: CampaignAction, actorName: string): Promise<ActionOutcome> {
  const current = await lockCampaign(tx, tenantId, campaignId)
  if (!ALLOWED[action].includes(current.status)) throw conflict(`Cannot ${action.replace('_', ' ')} a ${current.status} campaign`)
  switch (action) {
    case 'pause':
      await tx`update public.campaigns set status = 'paused', paused_reason = ${`Paused by ${actorName}`} where id = ${campaignId}`
      return { status: 'paused', unschedule: null }
    case 'resume':
      // The governor judges afresh from now: the failures that paused it were seen and accepted.
      await tx`update public.campaigns set status = 'running', paused_reason = null, governor_since = date_trunc('second', now()) where id = ${campaignId}`
      return { status: 'running', unschedule: null }
    case 'cancel':
      // Queued messages are taken back by the send engine when it meets them (it sees the campaign cancelled).
      await tx`update public.campaign_recipients set status = 'skipped', skip_reason = 'cancelled' where campaign_id = ${campaignId} and status = 'pending'`
      await tx`update public.campaigns set status = 'cancelled', completed_at = now(), schedule_message_id = null where id = ${campaignId}`
      return { status: 'cancelled', unschedule: current.scheduleMessageId }
    case 'retry_failed': {
      // 131050 contacts stopped marketing: the feeder skips them instead of trying again.
      await tx`
        update public.campaign_recipients set status = 'pending', message_id = null, next_attempt_at = null
        where id in (select id from public.campaign_recipient_progress where campaign_id = ${campaignId} and status = 'failed')`
      const status = current.status === 'completed' ? 'running' : current.status
      await tx`update public.campaigns set status = ${status}, completed_at = null, governor_since = date_trunc('second', now()) where id = ${campaignId}`
      return { status, unschedule: null }
    }
  }
}
