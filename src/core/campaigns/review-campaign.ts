// Everything a tenant should see before launching: who the audience really is after exclusions, what
// each contact will read, which contacts lack a value, how long it takes and what it costs.
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import { countryOfWaId } from '@/core/pricing/country-of-wa-id'
import { estimateCost } from '@/core/pricing/estimate-cost'
import type { PricedCategory } from '@/core/pricing/price-table'
import { messagingLimitOf } from '@/core/sending/messaging-limit'
import { loadTenantCampaignSettings } from '@/core/settings/load-tenant-campaign-settings'
import { fillSentTemplate } from '@/core/whatsapp/fill-template'
import { templateInputs, type TemplateComponent } from '@/core/whatsapp/template-inputs'
import { audienceSql, exclusionSql } from './audience-sql'
import type { Audience, VariableMapping, VariableSource } from './campaign-schemas'
import type { AudienceCount, CampaignEstimate, CampaignReview } from './campaign-views'
import { renderForContact, unmappedInputs, type CampaignContact, type CampaignTemplate } from './contact-values'
import { estimateDuration } from './estimate-duration'

export interface ReviewDeps {
  /** Unique customers the portfolio reached outside a service window in the current moving 24 h. */
  usedInWindow(account: { accountId: string; portfolio: string }): Promise<number>
}

export interface ReviewSubject {
  id: string
  tenantId: string
  audience: Audience
  variables: VariableMapping
  numberId: string | null
  template: (CampaignTemplate & { status: string }) | null
}

export async function loadReviewSubject(tx: TransactionSql, tenantId: string, campaignId: string): Promise<ReviewSubject> {
  const [row] = await tx<
    { audience: Audience; variables: VariableMapping; numberId: string | null; name: string | null; language: string; category: string; status: string; components: TemplateComponent[] }[]
  >`
    select c.audience, c.variable_mapping as variables, c.number_id as "numberId",
           t.name, t.language, t.category, t.status, t.components
    from public.campaigns c left join public.templates t on t.id = c.template_id
    where c.tenant_id = ${tenantId} and c.id = ${campaignId}`
  if (!row) throw notFound('Campaign')
  const { name, language, category, status, components, ...rest } = row
  return { id: campaignId, tenantId, ...rest, template: name ? { name, language, category, status, components } : null }
}

const CONTACT_COLUMNS = (tx: TransactionSql) =>
  tx`ct.id, ct.wa_id as "waId", ct.name, ct.profile_name as "profileName", ct.email, ct.custom_fields as "customFields"`

/** SQL for "this contact has no value for the source" (a constant always has one; a fallback fills the gap). */
function lacksValueSql(tx: TransactionSql, source: VariableSource): PendingQuery<Row[]> | null {
  if (source.kind === 'constant' || source.fallback?.trim()) return null
  const display = tx`coalesce(nullif(btrim(ct.name), ''), nullif(btrim(ct.profile_name), ''))`
  const expression =
    source.kind === 'custom'
      ? tx`ct.custom_fields ->> ${source.key}`
      : source.field === 'name' || source.field === 'first_name'
        ? display
        : source.field === 'wa_id'
          ? tx`ct.wa_id`
          : source.field === 'email'
            ? tx`ct.email`
            : tx`ct.profile_name`
  return tx`coalesce(btrim(${expression}), '') = ''`
}

export async function reviewCampaign(tx: TransactionSql, subject: ReviewSubject, deps: ReviewDeps, sample = 5): Promise<CampaignReview> {
  const { template } = subject
  const marketing = template?.category === 'MARKETING'
  const where = audienceSql(tx, subject.tenantId, subject.id, subject.audience)
  const exclusion = exclusionSql(tx, marketing)
  const [counts] = await tx<AudienceCount[]>`
    select count(*)::int as matched,
           count(*) filter (where x = 'opted_out')::int as "optedOut",
           count(*) filter (where x = 'blocked')::int as blocked,
           count(*) filter (where x = 'invalid_number')::int as invalid,
           count(*) filter (where x = 'marketing_opted_out')::int as "marketingOptedOut",
           count(*) filter (where x is null)::int as eligible
    from (select ${exclusion} as x from public.contacts ct where ${where}) s`
  const audience = counts!

  const problems: string[] = []
  if (!subject.numberId) problems.push('Choose the number to send from')
  if (!template) problems.push('Choose an approved template')
  else if (template.status !== 'APPROVED') problems.push(`Template ${template.name} is ${template.status}, not APPROVED`)
  if (audience.eligible === 0) problems.push('Nobody in the audience can be messaged')

  const unmapped = template ? unmappedInputs(template, subject.variables) : []
  if (unmapped.length) problems.push(`Give every template input a value: ${unmapped.join(', ')}`)

  const eligibleWhere = tx`${where} and ${exclusion} is null`
  const missingValues: CampaignReview['missingValues'] = []
  const inputs = template ? templateInputs(template.components).map((i) => i.key) : []
  for (const key of inputs) {
    const source = subject.variables[key]
    const lacks = source ? lacksValueSql(tx, source) : null
    if (!lacks) continue
    const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`select count(*)::int as n from public.contacts ct where ${eligibleWhere} and ${lacks}`
    if (n > 0) {
      missingValues.push({ key, count: n })
      problems.push(`${n} recipient${n === 1 ? ' has' : 's have'} no value for ${key}: add a fallback or narrow the audience`)
    }
  }

  const contacts = await tx<CampaignContact[]>`
    select ${CONTACT_COLUMNS(tx)} from public.contacts ct where ${eligibleWhere} order by ct.id limit ${sample}`
  const preview = template
    ? contacts.map((contact) => {
        const rendered = renderForContact(template, subject.variables, contact)
        const filled = fillSentTemplate(template.components, (rendered.message.template.components ?? []) as never)
        return { contactId: contact.id, name: contact.name ?? contact.profileName, waId: contact.waId, ...filled, missing: rendered.missing }
      })
    : []

  const estimate = subject.numberId && template ? await estimateFor(tx, subject, template.category, eligibleWhere, audience.eligible, deps) : null
  return { audience, unmapped, missingValues, preview, estimate, problems }
}

async function estimateFor(tx: TransactionSql, subject: ReviewSubject, category: string, eligibleWhere: PendingQuery<Row[]>, eligible: number, deps: ReviewDeps): Promise<CampaignEstimate> {
  const { pricing } = await loadTenantCampaignSettings(tx, subject.tenantId)
  const [number] = await tx<{ mps: number; tier: string; limit: number | null; accountId: string; portfolio: string }[]>`
    select n.throughput_mps as mps, a.id as "accountId", a.messaging_limit_tier as tier, a.messaging_limit as "limit", coalesce(a.business_id, a.id::text) as portfolio
    from public.whatsapp_numbers n join public.whatsapp_business_accounts a on a.id = n.account_id
    where n.id = ${subject.numberId}`
  const limit = messagingLimitOf(number!)
  const finite = Number.isFinite(limit)
  const remainingToday = finite ? Math.max(0, limit - (await deps.usedInWindow(number!))) : null
  // Countries by number prefix: four digits settle the country (North America's by area code) for a
  // few hundred groups instead of parsing every number.
  const prefixes = await tx<{ sample: string; n: number }[]>`
    select min(ct.wa_id) as sample, count(*)::int as n from public.contacts ct where ${eligibleWhere} group by left(ct.wa_id, 4)`
  const byCountry: Record<string, number> = {}
  for (const p of prefixes) {
    const country = countryOfWaId(p.sample) ?? 'unknown'
    byCountry[country] = (byCountry[country] ?? 0) + p.n
  }
  const duration = estimateDuration({ recipients: eligible, mps: number!.mps, messagingLimit: finite ? limit : null, remainingToday })
  return { mps: number!.mps, messagingLimit: finite ? limit : null, remainingToday, ...duration, cost: estimateCost(category as PricedCategory, byCountry, pricing) }
}
