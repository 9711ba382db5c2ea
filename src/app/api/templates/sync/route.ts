import { tenantRoute } from '@/server/http/route'
import { templateDeps } from '@/server/whatsapp/template-deps'
import { syncTemplates } from '@/server/whatsapp/template-actions'

export const POST = tenantRoute({ minRole: 'admin' }, async ({ tx, tenant }) => ({ accounts: await syncTemplates(tx, tenant.id, templateDeps()) }))
