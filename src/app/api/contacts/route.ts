import { listContacts, listContactsQuery } from '@/core/crm/list-contacts'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: listContactsQuery }, async ({ tx, tenant, input }) => ({ contacts: await listContacts(tx, tenant.id, input) }))
