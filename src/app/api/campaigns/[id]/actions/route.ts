import { applyCampaignAction } from '@/core/campaigns/campaign-lifecycle'
import { campaignActionSchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { campaignDetail } from '@/server/campaigns/campaign-detail'
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'
import { cancelCampaignStart } from '@/server/qstash/campaign-start'

export const POST = tenantRoute({ input: campaignActionSchema, minRole: 'supervisor' }, async ({ tx, tenant, claims, input, params }) => {
  const id = idParam(params.id, 'Campaign')
  const outcome = await applyCampaignAction(tx, tenant.id, id, input.action, claims.email ?? 'a member')
  if (outcome.unschedule) await cancelCampaignStart(config(), outcome.unschedule)
  return { campaign: await campaignDetail(tx, tenant.id, id) }
})
