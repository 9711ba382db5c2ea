import { idParam } from '@/core/crm/contact-id-param'
import { listContactMessages, listContactMessagesQuery } from '@/core/crm/list-contact-messages'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: listContactMessagesQuery }, async ({ tx, tenant, input, params }) =>
  listContactMessages(tx, tenant.id, idParam(params.id, 'Contact'), input),
)
