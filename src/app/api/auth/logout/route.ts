// Signing out ends the session on the server, so a copy of its cookies is worthless from then on.
import { NextResponse } from 'next/server'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import { publicRoute } from '@/server/http/route'
import { ACCESS_COOKIE, clearSessionCookies, REFRESH_COOKIE } from '@/server/http/session-cookies'

export const POST = publicRoute({}, async ({ req }) => {
  const accessToken = req.cookies.get(ACCESS_COOKIE)?.value
  const refreshToken = req.cookies.get(REFRESH_COOKIE)?.value
  const claims = accessToken ? ((await verifyAccessToken(accessToken).catch(() => null)) ?? undefined) : undefined
  await authProvider().signOut({ accessToken, claims, refreshToken }, 'current')
  const res = NextResponse.json({ ok: true })
  clearSessionCookies(res)
  return res
})
