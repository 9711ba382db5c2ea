import { readDashboard } from '@/core/dashboard/read-dashboard'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant }) => readDashboard(tx, tenant.id))
