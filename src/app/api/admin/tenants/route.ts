import { listAllTenants } from '@/core/tenancy/list-all-tenants'
import { userRoute } from '@/server/http/route'

export const GET = userRoute({ platformAdmin: true }, async ({ tx }) => ({ tenants: await listAllTenants(tx) }))
