import { NextResponse } from 'next/server'
import { acceptInvitationSchema } from '@/core/auth/schemas'
import { acceptInvitation } from '@/core/tenancy/accept-invitation'
import { userRoute } from '@/server/http/route'
import { setTenantCookie } from '@/server/http/session-cookies'

export const POST = userRoute({ input: acceptInvitationSchema }, async ({ tx, input }) => {
  const tenantId = await acceptInvitation(tx, input.token)
  const res = NextResponse.json({ tenantId })
  setTenantCookie(res, tenantId)
  return res
})
