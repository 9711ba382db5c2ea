import { idParam } from '@/core/crm/contact-id-param'
import { deleteContactNote } from '@/core/crm/delete-contact-note'
import { tenantRoute } from '@/server/http/route'

export const DELETE = tenantRoute({ minRole: 'agent' }, async ({ tx, tenant, claims, params }) => {
  await deleteContactNote(tx, { tenantId: tenant.id, userId: claims.sub, role: tenant.role }, idParam(params.id, 'Contact'), idParam(params.noteId, 'Note'))
  return { ok: true }
})
