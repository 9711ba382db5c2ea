import { NextResponse } from 'next/server'
import { signInSchema } from '@/core/auth/schemas'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import { publicRoute } from '@/server/http/route'
import { setSessionCookies } from '@/server/http/session-cookies'

export const POST = publicRoute({ input: signInSchema, maxBodyBytes: 16_384 }, async ({ input }) => {
  const session = await authProvider().signIn(input.email, input.password)
  const claims = await verifyAccessToken(session.accessToken)
  const res = NextResponse.json({ userId: claims.sub })
  setSessionCookies(res, session)
  return res
})
