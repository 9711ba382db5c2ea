// Finds the caller's verified claims: a bearer token, or the session cookie (refreshed when it expired).
import type { JwtClaims } from '@/core/auth/claims'
import { unauthenticated } from '@/core/errors/app-error'
import { authProvider, verifyAccessToken } from '@/server/auth/auth'
import type { AuthSession } from '@/server/auth/auth-provider'
import { ACCESS_COOKIE, REFRESH_COOKIE } from './session-cookies'

export interface ResolvedSession {
  claims: JwtClaims
  viaCookie: boolean
  /** Set when the access token was renewed and the response must carry the new cookies. */
  renewed?: AuthSession
}

type CookieReader = { get(name: string): { value: string } | undefined }

/** The token of an `Authorization: Bearer …` header, if there is one. */
export const bearerToken = (headers: Headers) => headers.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]

export async function resolveSession(headers: Headers, cookies: CookieReader): Promise<ResolvedSession> {
  const bearer = bearerToken(headers)
  if (bearer) return { claims: await verifyAccessToken(bearer), viaCookie: false }

  const token = cookies.get(ACCESS_COOKIE)?.value
  const refreshToken = cookies.get(REFRESH_COOKIE)?.value
  if (!token && !refreshToken) throw unauthenticated()
  try {
    if (token) return { claims: await verifyAccessToken(token), viaCookie: true }
  } catch (error) {
    if (!refreshToken) throw error
  }
  const renewed = await authProvider().refresh(refreshToken!)
  if (!renewed) throw unauthenticated('Your session has expired; sign in again')
  return { claims: await verifyAccessToken(renewed.accessToken), viaCookie: true, renewed }
}
