import { createContact } from '@/core/crm/create-contact'
import { createContactInput } from '@/core/crm/contact-schemas'
import { listContacts, listContactsQuery } from '@/core/crm/list-contacts'
import { tenantRoute } from '@/server/http/route'
import { NextResponse } from 'next/server'

export const GET = tenantRoute({ input: listContactsQuery }, async ({ tx, tenant, input }) => listContacts(tx, tenant.id, input))

export const POST = tenantRoute({ input: createContactInput, minRole: 'agent', maxBodyBytes: 64_000 }, async ({ tx, tenant, input }) =>
  NextResponse.json({ contact: await createContact(tx, tenant.id, input) }, { status: 201 }),
)
