// A `list` audience: contacts attached by id (hand-picked) or by phone number (a CSV column). Numbers
// that are not contacts yet become contacts, so the list is ordinary CRM data afterwards.
import type { TransactionSql } from 'postgres'
import type { z } from 'zod'
import { conflict } from '@/core/errors/app-error'
import { normalizePhone } from '@/core/crm/normalize-phone'
import type { audienceListSchema } from './campaign-schemas'
import { lockCampaign } from './campaign-records'

const MAX_REPORTED = 1000

export interface AudienceListResult {
  added: number
  invalid: { value: string; reason: string }[]
  invalidCount: number
  listSize: number
}

export async function attachAudienceList(tx: TransactionSql, tenantId: string, campaignId: string, input: z.infer<typeof audienceListSchema>): Promise<AudienceListResult> {
  const { status } = await lockCampaign(tx, tenantId, campaignId)
  if (status !== 'draft') throw conflict(`Only a draft's audience can change; this campaign is ${status}`)
  if (input.replace) await tx`delete from public.campaign_audience_contacts where campaign_id = ${campaignId}`

  const invalid: AudienceListResult['invalid'] = []
  let invalidCount = 0
  const waIds = new Set<string>()
  for (const phone of input.phones ?? []) {
    const result = normalizePhone(phone, input.defaultCountry)
    if (result.ok) waIds.add(result.waId)
    else if (++invalidCount <= MAX_REPORTED) invalid.push({ value: phone.slice(0, 40), reason: result.reason })
  }
  const phones = [...waIds]
  if (phones.length)
    await tx`
      insert into public.contacts (tenant_id, wa_id)
      select ${tenantId}, unnest(${phones}::text[])
      on conflict (tenant_id, wa_id) do nothing`
  const [{ added } = { added: 0 }] = await tx<{ added: number }[]>`
    with picked as (
      select id from public.contacts where tenant_id = ${tenantId} and wa_id = any(${phones}::text[])
      union
      select id from public.contacts where tenant_id = ${tenantId} and id = any(${input.contactIds ?? []}::uuid[])
    ), inserted as (
      insert into public.campaign_audience_contacts (tenant_id, campaign_id, contact_id)
      select ${tenantId}, ${campaignId}, id from picked
      on conflict (campaign_id, contact_id) do nothing
      returning 1
    )
    select count(*)::int as added from inserted`
  const [{ listSize } = { listSize: 0 }] = await tx<{ listSize: number }[]>`
    select count(*)::int as "listSize" from public.campaign_audience_contacts where campaign_id = ${campaignId}`
  return { added, invalid, invalidCount, listSize }
}
