import { NextResponse } from 'next/server'
import { switchTenantSchema } from '@/core/auth/schemas'
import { resolveTenant } from '@/server/http/resolve-tenant'
import { userRoute } from '@/server/http/route'
import { setTenantCookie } from '@/server/http/session-cookies'

export const POST = userRoute({ input: switchTenantSchema }, async ({ tx, input }) => {
  const tenant = await resolveTenant(tx, input.tenantId, true)
  const res = NextResponse.json({ activeTenantId: tenant.id, role: tenant.role })
  setTenantCookie(res, tenant.id)
  return res
})
