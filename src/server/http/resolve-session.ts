// Finds the caller's verified claims: a bearer token, or the session cookie (refreshed when it expired),
// in both cases only while its session is live; on workspace endpoints also an API key, which acts as
// the person who created it.
import { authenticateApiKey, type ApiKeyPrincipal } from '@/core/api-keys/authenticate-api-key'
import { isApiKeyToken } from '@/core/api-keys/api-key-token'
import type { JwtClaims } from '@/core/auth/claims'
import { unauthenticated } from '@/core/errors/app-error'
import type { Role } from '@/core/tenancy/roles'
import { authenticateAccessToken, authProvider, verifyAccessToken } from '@/server/auth/auth'
import type { AuthSession, Device } from '@/server/auth/auth-provider'
import { db } from '@/server/db/db'
import { clientIp } from './client-ip'
import { ACCESS_COOKIE, REFRESH_COOKIE } from './session-cookies'

export interface ResolvedSession {
  claims: JwtClaims
  viaCookie: boolean
  /** Set when the access token was renewed and the response must carry the new cookies. */
  renewed?: AuthSession
  /** Set when an API key authenticated the call: its workspace is fixed and its role capped. */
  apiKey?: { id: string; tenantId: string; role: Role }
}

type CookieReader = { get(name: string): { value: string } | undefined }

/** The token of an `Authorization: Bearer …` header, if there is one. */
export const bearerToken = (headers: Headers) => headers.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]

export async function resolveSession(headers: Headers, cookies: CookieReader): Promise<ResolvedSession> {
  const bearer = bearerToken(headers)
  if (bearer && isApiKeyToken(bearer)) throw unauthenticated('API keys work only on workspace endpoints')
  if (bearer) return { claims: await authenticateAccessToken(bearer), viaCookie: false }

  const token = cookies.get(ACCESS_COOKIE)?.value
  const refreshToken = cookies.get(REFRESH_COOKIE)?.value
  if (!token && !refreshToken) throw unauthenticated()
  if (token) {
    const claims = await verifyAccessToken(token).catch(() => null)
    // A well-signed token of a session that has ended is refused outright: refreshing could not revive it.
    if (claims) {
      if (!(await authProvider().isLive(claims))) throw unauthenticated('This session has ended; sign in again')
      return { claims, viaCookie: true }
    }
    if (!refreshToken) throw unauthenticated('Your session is invalid or has expired; sign in again')
  }
  const renewed = await authProvider().refresh(refreshToken!, deviceOf(headers))
  if (!renewed) throw unauthenticated('Your session has expired; sign in again')
  return { claims: await verifyAccessToken(renewed.accessToken), viaCookie: true, renewed }
}

/** The device a request comes from, as its owner will see it in the list of their sessions. */
export function deviceOf(headers: Headers): Device {
  return { userAgent: headers.get('user-agent') ?? undefined, ip: clientIp(headers) }
}

/** Workspace endpoints: an API key, or else the same session as `resolveSession`. */
export async function resolveSessionOrApiKey(headers: Headers, cookies: CookieReader): Promise<ResolvedSession> {
  const bearer = bearerToken(headers)
  if (!bearer || !isApiKeyToken(bearer)) return resolveSession(headers, cookies)
  const principal = await db().withService((tx) => authenticateApiKey(tx, bearer))
  return { claims: apiKeyClaims(principal), viaCookie: false, apiKey: { id: principal.keyId, tenantId: principal.tenantId, role: principal.role } }
}

// The RLS transaction runs as the key's creator, so the policies isolate exactly as for them. No
// platform-admin flag is carried over: a key never holds more than a workspace role.
function apiKeyClaims(principal: ApiKeyPrincipal): JwtClaims {
  const now = Math.floor(Date.now() / 1000)
  return {
    sub: principal.userId,
    email: principal.email,
    role: 'authenticated',
    aud: 'authenticated',
    iat: now,
    exp: now + 60,
    app_metadata: {},
    user_metadata: principal.fullName ? { full_name: principal.fullName } : {},
  }
}
