// Session guard for server-rendered pages: verified claims, or a redirect to renew or sign in.
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import type { JwtClaims } from '@/core/auth/claims'
import { authenticateAccessToken } from '@/server/auth/auth'
import { ACCESS_COOKIE, REFRESH_COOKIE } from './session-cookies'

export async function requirePageSession(path: string): Promise<JwtClaims> {
  const jar = await cookies()
  const token = jar.get(ACCESS_COOKIE)?.value
  const claims = token ? await authenticateAccessToken(token).catch(() => null) : null
  if (claims) return claims
  const next = encodeURIComponent(path)
  redirect(jar.get(REFRESH_COOKIE) ? `/api/auth/refresh?next=${next}` : `/login?next=${next}`)
}

export async function hasPageSession(): Promise<boolean> {
  const token = (await cookies()).get(ACCESS_COOKIE)?.value
  return token ? (await authenticateAccessToken(token).catch(() => null)) !== null : false
}
