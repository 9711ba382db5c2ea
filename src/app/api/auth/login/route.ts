import { NextResponse } from 'next/server'
import { signInSchema } from '@/core/auth/schemas'
import { signInKeys } from '@/core/auth/sign-in-throttle'
import { throttleSignIn } from '@/core/auth/throttle-sign-in'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import { clientIp } from '@/server/http/client-ip'
import { deviceOf } from '@/server/http/resolve-session'
import { publicRoute } from '@/server/http/route'
import { setSessionCookies } from '@/server/http/session-cookies'
import { signInThrottle } from '@/server/sign-in-throttle/sign-in-throttle'

export const POST = publicRoute({ input: signInSchema, maxBodyBytes: 16_384 }, async ({ input, req }) => {
  // Counted as a failure before the password is checked; the same answers for unknown emails.
  const keys = signInKeys(input.email, clientIp(req.headers))
  const session = await throttleSignIn(signInThrottle(), keys, () => authProvider().signIn(input.email, input.password, deviceOf(req.headers)))
  const claims = await verifyAccessToken(session.accessToken)
  const res = NextResponse.json({ userId: claims.sub })
  setSessionCookies(res, session)
  return res
})
