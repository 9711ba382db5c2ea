import { tenantRoute } from '@/server/http/route'
import { graphDeps } from '@/server/whatsapp/deps'
import { deleteTemplate } from '@/server/whatsapp/template-actions'

export const DELETE = tenantRoute({ minRole: 'admin' }, async ({ tx, tenant, params }) => {
  await deleteTemplate(tx, tenant.id, String(params.id), graphDeps())
  return { ok: true }
})
