import { listMembers } from '@/core/tenancy/list-members'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant }) => ({ ...(await listMembers(tx, tenant.id)), myRole: tenant.role }))
