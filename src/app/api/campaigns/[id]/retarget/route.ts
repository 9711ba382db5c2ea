import { NextResponse } from 'next/server'
import { retargetSchema } from '@/core/campaigns/campaign-schemas'
import { retargetCampaign } from '@/core/campaigns/retarget-campaign'
import { idParam } from '@/core/crm/contact-id-param'
import { campaignDetail } from '@/server/campaigns/campaign-detail'
import { tenantRoute } from '@/server/http/route'

export const POST = tenantRoute({ input: retargetSchema, minRole: 'supervisor' }, async ({ tx, tenant, input, params }) => {
  const id = await retargetCampaign(tx, tenant.id, idParam(params.id, 'Campaign'), input.segment, input.name)
  return NextResponse.json({ campaign: await campaignDetail(tx, tenant.id, id) }, { status: 201 })
})
