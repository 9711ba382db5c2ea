// The audience rules as SQL over `public.contacts ct`, and the exclusions every campaign applies.
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import type { Audience, FieldFilter } from './campaign-schemas'
import { likePattern } from '@/core/util/like-pattern'

/** WhatsApp ids that can be a phone number: E.164 allows 8–15 digits and no leading zero. */
export const SENDABLE_WA_ID = '^[1-9][0-9]{7,14}$'

function fieldSql(tx: TransactionSql, f: FieldFilter): PendingQuery<Row[]> {
  const value = tx`ct.custom_fields ->> ${f.key}`
  switch (f.op) {
    case 'present':
      return tx`coalesce(${value}, '') <> ''`
    case 'absent':
      return tx`coalesce(${value}, '') = ''`
    case 'equals':
      return tx`lower(${value}) = lower(${f.value ?? ''})`
    case 'not_equals':
      return tx`lower(coalesce(${value}, '')) <> lower(${f.value ?? ''})`
    case 'contains':
      return tx`${value} ilike ${likePattern(f.value ?? '')}`
  }
}

/** `where` condition selecting the audience's contacts (before exclusions) of one campaign's tenant. */
export function audienceSql(tx: TransactionSql, tenantId: string, campaignId: string, audience: Audience): PendingQuery<Row[]> {
  const parts: PendingQuery<Row[]>[] = [tx`ct.tenant_id = ${tenantId}`]
  if (audience.source === 'list')
    parts.push(tx`exists (select 1 from public.campaign_audience_contacts a where a.campaign_id = ${campaignId} and a.contact_id = ct.id)`)
  if (audience.includeTags.length) parts.push(tx`ct.tags && ${audience.includeTags}::text[]`)
  if (audience.excludeTags.length) parts.push(tx`not (ct.tags && ${audience.excludeTags}::text[])`)
  for (const f of audience.fields) parts.push(fieldSql(tx, f))
  return parts.reduce((acc, part) => tx`${acc} and ${part}`)
}

/** Why a selected contact is not messaged, or null when it is; the same order as the review counts them. */
export function exclusionSql(tx: TransactionSql, marketing: boolean): PendingQuery<Row[]> {
  return tx`case
    when ct.opted_out_at is not null then 'opted_out'
    when ct.blocked then 'blocked'
    when ct.wa_id is null or ct.wa_id !~ ${SENDABLE_WA_ID} then 'invalid_number'
    when ${marketing} and ct.marketing_opted_out_at is not null then 'marketing_opted_out'
  end`
}
