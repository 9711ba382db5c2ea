import { NextResponse } from 'next/server'
import { signUpSchema } from '@/core/auth/schemas'
import { signUp } from '@/core/auth/sign-up'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import type { AuthSession } from '@/server/auth/auth-provider'
import { db } from '@/server/db/db'
import { deviceOf } from '@/server/http/resolve-session'
import { publicRoute } from '@/server/http/route'
import { setSessionCookies, setTenantCookie } from '@/server/http/session-cookies'

// 201 with a session; 202 "check your inbox" where the address must be confirmed first (Supabase),
// alike for new and existing addresses. The local provider answers a taken address with 409.
export const POST = publicRoute({ input: signUpSchema, maxBodyBytes: 16_384 }, async ({ input, req }) => {
  let session: AuthSession | undefined
  const result = await signUp(
    {
      withService: (fn) => db().withService(fn),
      withUser: (claims, fn) => db().withUser(claims, fn),
      createAccount: async (account) => {
        const created = await authProvider().signUp({ email: account.email, password: account.password, fullName: account.fullName }, deviceOf(req.headers))
        if ('confirmationPending' in created) return created
        session = created
        return { claims: await verifyAccessToken(created.accessToken) }
      },
    },
    input,
  )
  if ('confirmationPending' in result) return NextResponse.json(result, { status: 202 })
  const res = NextResponse.json(result, { status: 201 })
  setSessionCookies(res, session!)
  setTenantCookie(res, result.tenantId)
  return res
})
