import { idParam } from '@/core/crm/contact-id-param'
import { getContactImport } from '@/core/crm/get-contact-import'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => ({ import: await getContactImport(tx, tenant.id, idParam(params.id, 'Import')) }))
