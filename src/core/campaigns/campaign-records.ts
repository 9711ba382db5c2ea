// Campaign rows: create and edit drafts, read one or the list with their funnels.
import type { TransactionSql } from 'postgres'
import { AppError, conflict, notFound } from '@/core/errors/app-error'
import { audienceSchema, type CampaignDraft, type CampaignStatus } from './campaign-schemas'
import type { CampaignDetail, CampaignSummary } from './campaign-views'
import { EMPTY_FUNNEL, funnelsOf } from './campaign-funnel-sql'

const SUMMARY_COLUMNS = (tx: TransactionSql) => tx`
  c.id, c.name, c.status, c.number_id as "numberId", c.template_id as "templateId", t.name as "templateName",
  c.scheduled_at as "scheduledAt", c.started_at as "startedAt", c.completed_at as "completedAt",
  c.paused_reason as "pausedReason", c.total, c.created_at as "createdAt"`

type SummaryRow = Omit<CampaignSummary, 'funnel'>
type DetailRow = Omit<CampaignDetail, 'funnel' | 'waiting'>

export async function listCampaigns(tx: TransactionSql, tenantId: string): Promise<CampaignSummary[]> {
  const rows = await tx<SummaryRow[]>`
    select ${SUMMARY_COLUMNS(tx)}
    from public.campaigns c left join public.templates t on t.id = c.template_id
    where c.tenant_id = ${tenantId}
    order by c.created_at desc
    limit 500`
  const funnels = await funnelsOf(
    tx,
    tenantId,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({ ...r, funnel: funnels.get(r.id) ?? EMPTY_FUNNEL }))
}

export async function getCampaign(tx: TransactionSql, tenantId: string, id: string): Promise<Omit<CampaignDetail, 'waiting'>> {
  const [row] = await tx<DetailRow[]>`
    select ${SUMMARY_COLUMNS(tx)}, t.language as "templateLanguage", t.category as "templateCategory",
           c.variable_mapping as variables, c.audience, c.quiet_hours as "quietHours", c.reply_window_hours as "replyWindowHours",
           c.min_delivery_rate::float8 as "minDeliveryRate", c.retarget_of as "retargetOf", tn.timezone,
           (select count(*)::int from public.campaign_audience_contacts a where a.campaign_id = c.id) as "listSize"
    from public.campaigns c
    left join public.templates t on t.id = c.template_id
    join public.tenants tn on tn.id = c.tenant_id
    where c.tenant_id = ${tenantId} and c.id = ${id}`
  if (!row) throw notFound('Campaign')
  const funnels = await funnelsOf(tx, tenantId, [id])
  return { ...row, audience: audienceSchema.parse(row.audience ?? {}), funnel: funnels.get(id) ?? EMPTY_FUNNEL }
}

/** The campaign's status, row-locked so a state change cannot race another. */
export async function lockCampaign(tx: TransactionSql, tenantId: string, id: string): Promise<{ status: CampaignStatus; scheduleMessageId: string | null }> {
  const [row] = await tx<{ status: CampaignStatus; scheduleMessageId: string | null }[]>`
    select status, schedule_message_id as "scheduleMessageId" from public.campaigns where tenant_id = ${tenantId} and id = ${id} for update`
  if (!row) throw notFound('Campaign')
  return row
}

async function assertNumberAndTemplate(tx: TransactionSql, tenantId: string, draft: Partial<CampaignDraft>, current?: { numberId: string | null; templateId: string | null }) {
  const numberId = draft.numberId === undefined ? current?.numberId : draft.numberId
  const templateId = draft.templateId === undefined ? current?.templateId : draft.templateId
  if (numberId) {
    const [n] = await tx`select 1 from public.whatsapp_numbers where tenant_id = ${tenantId} and id = ${numberId}`
    if (!n) throw new AppError('validation_failed', 'numberId: no such number in this workspace', [{ path: 'numberId', message: 'not found' }])
  }
  if (templateId) {
    const [t] = await tx<{ sameAccount: boolean | null }[]>`
      select (${numberId ?? null}::uuid is null or t.account_id = (select account_id from public.whatsapp_numbers where id = ${numberId ?? null}::uuid)) as "sameAccount"
      from public.templates t where t.tenant_id = ${tenantId} and t.id = ${templateId}`
    if (!t) throw new AppError('validation_failed', 'templateId: no such template in this workspace', [{ path: 'templateId', message: 'not found' }])
    if (!t.sameAccount)
      throw new AppError('validation_failed', 'templateId: the template belongs to another WhatsApp account than the number', [
        { path: 'templateId', message: 'belongs to another WhatsApp account than the number' },
      ])
  }
}

export async function createCampaign(tx: TransactionSql, tenantId: string, draft: CampaignDraft & { retargetOf?: string }): Promise<string> {
  await assertNumberAndTemplate(tx, tenantId, draft)
  const [row] = await tx<{ id: string }[]>`
    insert into public.campaigns (tenant_id, name, number_id, template_id, variable_mapping, audience, quiet_hours,
                                  reply_window_hours, min_delivery_rate, retarget_of)
    values (${tenantId}, ${draft.name}, ${draft.numberId ?? null}, ${draft.templateId ?? null}, ${tx.json(draft.variables ?? {})},
            ${tx.json(audienceSchema.parse(draft.audience ?? {}))}, ${draft.quietHours ? tx.json(draft.quietHours) : null},
            ${draft.replyWindowHours ?? 168}, ${draft.minDeliveryRate === undefined ? 0.7 : draft.minDeliveryRate}, ${draft.retargetOf ?? null})
    returning id`
  return row!.id
}

export async function updateCampaign(tx: TransactionSql, tenantId: string, id: string, patch: Partial<CampaignDraft>): Promise<void> {
  const { status } = await lockCampaign(tx, tenantId, id)
  if (status !== 'draft') throw conflict(`Only a draft can be edited; this campaign is ${status}`)
  const [current] = await tx<{ numberId: string | null; templateId: string | null }[]>`
    select number_id as "numberId", template_id as "templateId" from public.campaigns where id = ${id}`
  await assertNumberAndTemplate(tx, tenantId, patch, current)
  const set = <T>(value: T | undefined, column: string, encode: (v: T) => unknown = (v) => v) =>
    value === undefined ? tx`` : tx`, ${tx(column)} = ${encode(value) as never}`
  await tx`
    update public.campaigns set updated_at = now()
      ${set(patch.name, 'name')}
      ${set(patch.numberId, 'number_id')}
      ${set(patch.templateId, 'template_id')}
      ${set(patch.variables, 'variable_mapping', (v) => tx.json(v))}
      ${set(patch.audience, 'audience', (v) => tx.json(v))}
      ${set(patch.quietHours, 'quiet_hours', (v) => (v ? tx.json(v) : null))}
      ${set(patch.replyWindowHours, 'reply_window_hours')}
      ${set(patch.minDeliveryRate, 'min_delivery_rate')}
    where id = ${id}`
}

export async function deleteCampaign(tx: TransactionSql, tenantId: string, id: string): Promise<void> {
  const { status } = await lockCampaign(tx, tenantId, id)
  if (status !== 'draft') throw conflict(`Only a draft can be deleted; this campaign is ${status} (cancel it instead)`)
  await tx`delete from public.campaigns where id = ${id}`
}
