// Response shapes and query keys of the campaigns API as the browser sees them (dates as ISO strings),
// and the one way a recipients filter becomes a query string, shared by the table and the CSV export.
import type { RecipientStatus } from '@/core/campaigns/campaign-schemas'
import type {
  CampaignDetail as CoreCampaignDetail,
  CampaignFunnelView as CoreFunnelView,
  CampaignReview as CoreCampaignReview,
  CampaignSummary as CoreCampaignSummary,
  RecipientRow as CoreRecipientRow,
} from '@/core/campaigns/campaign-views'
import type { Jsonified } from '@/core/util/jsonified'

export type CampaignSummary = Jsonified<CoreCampaignSummary>
export type CampaignDetail = Jsonified<CoreCampaignDetail>
export type CampaignReview = Jsonified<CoreCampaignReview>
export type CampaignFunnelView = Jsonified<CoreFunnelView>
export type RecipientRow = Jsonified<CoreRecipientRow>

export interface RecipientPage {
  recipients: RecipientRow[]
  nextCursor: string | null
}

export interface AudienceListResult {
  added: number
  invalid: { value: string; reason: string }[]
  listSize: number
}

export interface RecipientFilter {
  status: RecipientStatus | 'all'
  errorCode: number | null
  q: string
}
export const ALL_RECIPIENTS: RecipientFilter = { status: 'all', errorCode: null, q: '' }

export function recipientParams(filter: RecipientFilter): URLSearchParams {
  const params = new URLSearchParams()
  if (filter.status !== 'all') params.set('status', filter.status)
  if (filter.errorCode !== null) params.set('errorCode', String(filter.errorCode))
  if (filter.q.trim()) params.set('q', filter.q.trim())
  return params
}

export const campaignKeys = {
  all: (tenantId: string | null) => ['campaigns', tenantId] as const,
  list: (tenantId: string | null) => ['campaigns', tenantId, 'list'] as const,
  campaign: (tenantId: string | null, id: string) => ['campaigns', tenantId, 'campaign', id] as const,
  review: (tenantId: string | null, id: string) => ['campaigns', tenantId, 'review', id] as const,
  funnel: (tenantId: string | null, id: string) => ['campaigns', tenantId, 'funnel', id] as const,
  recipients: (tenantId: string | null, id: string, filter?: RecipientFilter) =>
    filter ? (['campaigns', tenantId, 'recipients', id, filter] as const) : (['campaigns', tenantId, 'recipients', id] as const),
}
