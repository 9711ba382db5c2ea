import { tenantRoute } from '@/server/http/route'
import { graphDeps } from '@/server/whatsapp/deps'
import { syncTemplates } from '@/server/whatsapp/template-actions'

export const POST = tenantRoute({ minRole: 'admin' }, async ({ tx, tenant }) => ({ accounts: await syncTemplates(tx, tenant.id, graphDeps()) }))
