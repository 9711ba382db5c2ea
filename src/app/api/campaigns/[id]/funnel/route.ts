import { campaignFunnel } from '@/core/campaigns/campaign-funnel'
import { getCampaign } from '@/core/campaigns/campaign-records'
import { idParam } from '@/core/crm/contact-id-param'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => {
  const id = idParam(params.id, 'Campaign')
  await getCampaign(tx, tenant.id, id)
  return { funnel: await campaignFunnel(tx, tenant.id, id) }
})
