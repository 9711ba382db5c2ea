import { bulkTagContacts, bulkTagInput } from '@/core/crm/bulk-tag-contacts'
import { tenantRoute } from '@/server/http/route'

export const POST = tenantRoute({ input: bulkTagInput, minRole: 'agent', maxBodyBytes: 128_000 }, async ({ tx, tenant, input }) => bulkTagContacts(tx, tenant.id, input))
