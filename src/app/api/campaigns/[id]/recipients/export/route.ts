import { exportRecipientsCsv } from '@/core/campaigns/campaign-recipients'
import { getCampaign } from '@/core/campaigns/campaign-records'
import { recipientsQuerySchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { db } from '@/server/db/db'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: recipientsQuerySchema }, async ({ tx, tenant, claims, input, params }) => {
  const id = idParam(params.id, 'Campaign')
  const campaign = await getCampaign(tx, tenant.id, id)
  // Later pages run in their own RLS transactions as the same user, after this one has committed.
  const body = exportRecipientsCsv((fn) => db().withUser(claims, fn), tenant.id, id, input)
  const slug = campaign.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'campaign'
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${slug}-${input.status}.csv"`,
      'cache-control': 'no-store',
    },
  })
})
