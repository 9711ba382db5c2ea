// The httpOnly cookies that carry a browser session and the active workspace.
import type { NextResponse } from 'next/server'
import type { AuthSession } from '@/server/auth/auth-provider'
import { config } from '@/server/config'

export const ACCESS_COOKIE = 'conversa_session'
export const REFRESH_COOKIE = 'conversa_refresh'
export const TENANT_COOKIE = 'conversa_tenant'

const base = () => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: process.env.NODE_ENV === 'production' && !process.env.APP_URL?.startsWith('http://'),
  path: '/',
})

export function setSessionCookies(res: NextResponse, session: AuthSession) {
  const maxAge = Math.max(60, session.expiresAt - Math.floor(Date.now() / 1000))
  res.cookies.set(ACCESS_COOKIE, session.accessToken, { ...base(), maxAge })
  if (session.refreshToken) res.cookies.set(REFRESH_COOKIE, session.refreshToken, { ...base(), maxAge: config().SESSION_MAX_AGE_SECONDS })
}

export function setTenantCookie(res: NextResponse, tenantId: string) {
  res.cookies.set(TENANT_COOKIE, tenantId, { ...base(), maxAge: 60 * 60 * 24 * 365 })
}

export function clearSessionCookies(res: NextResponse) {
  for (const name of [ACCESS_COOKIE, REFRESH_COOKIE, TENANT_COOKIE]) res.cookies.set(name, '', { ...base(), maxAge: 0 })
}
