import { addContactNote, addContactNoteInput } from '@/core/crm/add-contact-note'
import { idParam } from '@/core/crm/contact-id-param'
import { listContactNotes } from '@/core/crm/list-contact-notes'
import { tenantRoute } from '@/server/http/route'
import { NextResponse } from 'next/server'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => listContactNotes(tx, tenant.id, idParam(params.id, 'Contact')))

export const POST = tenantRoute({ input: addContactNoteInput, minRole: 'agent', maxBodyBytes: 32_000 }, async ({ tx, tenant, claims, input, params }) =>
  NextResponse.json({ note: await addContactNote(tx, tenant.id, idParam(params.id, 'Contact'), claims.sub, input.body) }, { status: 201 }),
)
