import { deleteCampaign, updateCampaign } from '@/core/campaigns/campaign-records'
import { campaignPatchSchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { campaignDetail } from '@/server/campaigns/campaign-detail'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => ({ campaign: await campaignDetail(tx, tenant.id, idParam(params.id, 'Campaign')) }))

export const PATCH = tenantRoute({ input: campaignPatchSchema, minRole: 'supervisor' }, async ({ tx, tenant, input, params }) => {
  const id = idParam(params.id, 'Campaign')
  await updateCampaign(tx, tenant.id, id, input)
  return { campaign: await campaignDetail(tx, tenant.id, id) }
})

export const DELETE = tenantRoute({ minRole: 'supervisor' }, async ({ tx, tenant, params }) => {
  await deleteCampaign(tx, tenant.id, idParam(params.id, 'Campaign'))
  return { ok: true }
})
