import { listRecipients } from '@/core/campaigns/campaign-recipients'
import { getCampaign } from '@/core/campaigns/campaign-records'
import { recipientsQuerySchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: recipientsQuerySchema }, async ({ tx, tenant, input, params }) => {
  const id = idParam(params.id, 'Campaign')
  // An unknown campaign (or another workspace's) is a 404, not an empty page.
  await getCampaign(tx, tenant.id, id)
  return listRecipients(tx, tenant.id, id, input)
})
