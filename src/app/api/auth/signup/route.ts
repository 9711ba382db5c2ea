import { NextResponse } from 'next/server'
import { signUpSchema } from '@/core/auth/schemas'
import { signUp } from '@/core/auth/sign-up'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import { db } from '@/server/db/db'
import { deviceOf } from '@/server/http/resolve-session'
import { publicRoute } from '@/server/http/route'
import { setSessionCookies, setTenantCookie } from '@/server/http/session-cookies'

export const POST = publicRoute({ input: signUpSchema, maxBodyBytes: 16_384 }, async ({ input, req }) => {
  let session
  const result = await signUp(
    {
      withService: (fn) => db().withService(fn),
      withUser: (claims, fn) => db().withUser(claims, fn),
      createAccount: async (account) => {
        session = await authProvider().signUp({ email: account.email, password: account.password, fullName: account.fullName }, deviceOf(req.headers))
        return { claims: await verifyAccessToken(session.accessToken) }
      },
    },
    input,
  )
  const res = NextResponse.json(result, { status: 201 })
  setSessionCookies(res, session!)
  setTenantCookie(res, result.tenantId)
  return res
})
