import { idParam } from '@/core/crm/contact-id-param'
import { updateContactInput } from '@/core/crm/contact-schemas'
import { getContact } from '@/core/crm/get-contact'
import { updateContact } from '@/core/crm/update-contact'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => ({ contact: await getContact(tx, tenant.id, idParam(params.id, 'Contact')) }))

export const PATCH = tenantRoute({ input: updateContactInput, minRole: 'agent', maxBodyBytes: 64_000 }, async ({ tx, tenant, input, params }) => ({
  contact: await updateContact(tx, tenant.id, idParam(params.id, 'Contact'), input),
}))
