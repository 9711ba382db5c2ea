import { listRecipients } from '@/core/campaigns/campaign-recipients'
import { recipientsQuerySchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: recipientsQuerySchema }, async ({ tx, tenant, input, params }) =>
  listRecipients(tx, tenant.id, idParam(params.id, 'Campaign'), input),
)
