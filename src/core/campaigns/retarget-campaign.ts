// A follow-up to a finished campaign: a new draft for one slice of its recipients (e.g. delivered but
// not read), with the same number, template and variables to start from.
import type { TransactionSql } from 'postgres'
import { conflict } from '@/core/errors/app-error'
import type { RetargetSegment } from './campaign-schemas'
import { createCampaign, lockCampaign } from './campaign-records'

const SEGMENT_STATUS: Record<RetargetSegment, string> = {
  sent_not_delivered: 'sent',
  delivered_not_read: 'delivered',
  read_not_replied: 'read',
  replied: 'replied',
  failed: 'failed',
}
const SEGMENT_LABEL: Record<RetargetSegment, string> = {
  sent_not_delivered: 'sent, not delivered',
  delivered_not_read: 'delivered, not read',
  read_not_replied: 'read, no reply',
  replied: 'replied',
  failed: 'failed',
}

export async function retargetCampaign(tx: TransactionSql, tenantId: string, campaignId: string, segment: RetargetSegment, name?: string): Promise<string> {
  const { status } = await lockCampaign(tx, tenantId, campaignId)
  if (status !== 'completed' && status !== 'cancelled') throw conflict(`Only a completed or cancelled campaign can be retargeted; this one is ${status}`)
  const [source] = await tx<{ name: string; numberId: string | null; templateId: string | null; variables: never; quietHours: never; replyWindowHours: number; minDeliveryRate: number | null }[]>`
    select name, number_id as "numberId", template_id as "templateId", variable_mapping as variables, quiet_hours as "quietHours",
           reply_window_hours as "replyWindowHours", min_delivery_rate::float8 as "minDeliveryRate"
    from public.campaigns where id = ${campaignId}`
  const id = await createCampaign(tx, tenantId, {
    ...source!,
    name: name ?? `${source!.name} — ${SEGMENT_LABEL[segment]}`.slice(0, 200),
    audience: { source: 'list', includeTags: [], excludeTags: [], fields: [] },
    retargetOf: campaignId,
  })
  await tx`
    insert into public.campaign_audience_contacts (tenant_id, campaign_id, contact_id)
    select ${tenantId}, ${id}, contact_id from public.campaign_recipient_progress
    where campaign_id = ${campaignId} and status = ${SEGMENT_STATUS[segment]}`
  return id
}
