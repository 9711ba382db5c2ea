import { NextResponse } from 'next/server'
import { createCampaign, listCampaigns } from '@/core/campaigns/campaign-records'
import { campaignDraftSchema } from '@/core/campaigns/campaign-schemas'
import { campaignDetail } from '@/server/campaigns/campaign-detail'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant }) => ({ campaigns: await listCampaigns(tx, tenant.id) }))

export const POST = tenantRoute({ input: campaignDraftSchema, minRole: 'supervisor' }, async ({ tx, tenant, input }) => {
  const id = await createCampaign(tx, tenant.id, input)
  return NextResponse.json({ campaign: await campaignDetail(tx, tenant.id, id) }, { status: 201 })
})
