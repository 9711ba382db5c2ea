import { tenantRoute } from '@/server/http/route'
import { templateDeps } from '@/server/whatsapp/template-deps'
import { deleteTemplate } from '@/server/whatsapp/template-actions'

export const DELETE = tenantRoute({ minRole: 'admin' }, async ({ tx, tenant, params }) => {
  await deleteTemplate(tx, tenant.id, String(params.id), templateDeps())
  return { ok: true }
})
