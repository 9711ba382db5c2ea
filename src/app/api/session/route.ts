import { isPlatformAdmin } from '@/core/auth/claims'
import { listMyTenants } from '@/core/tenancy/list-my-tenants'
import { userRoute } from '@/server/http/route'
import { TENANT_COOKIE } from '@/server/http/session-cookies'

export const GET = userRoute({}, async ({ tx, claims, req }) => {
  const tenants = await listMyTenants(tx)
  const wanted = req.cookies.get(TENANT_COOKIE)?.value
  const active = tenants.find((t) => t.id === wanted) ?? tenants[0] ?? null
  return {
    user: { id: claims.sub, email: claims.email, fullName: claims.user_metadata.full_name ?? null, platformAdmin: isPlatformAdmin(claims) },
    tenants,
    activeTenantId: active?.id ?? null,
  }
})
