import { attachAudienceList } from '@/core/campaigns/audience-list'
import { audienceListSchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { tenantRoute } from '@/server/http/route'

// 100,000 phone numbers as JSON fit in about 2.5 MB.
export const POST = tenantRoute({ input: audienceListSchema, minRole: 'supervisor', maxBodyBytes: 4_000_000 }, async ({ tx, tenant, input, params }) =>
  attachAudienceList(tx, tenant.id, idParam(params.id, 'Campaign'), input),
)
