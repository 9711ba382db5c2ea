// Running route handlers in-process against a private test database: the environment they configure
// themselves from, and the signed session a member presents.
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import type { NextRequest } from 'next/server'
import type { JwtClaims } from '@/core/auth/claims'

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>

const JWT_SECRET = randomBytes(32).toString('hex')

/** Points the app's configuration at the test database; call before the first route module is imported. */
export function useRouteEnvironment(databaseUrl: string, extra: Record<string, string> = {}) {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    META_APP_SECRET: 'route-test-app-secret',
    META_VERIFY_TOKEN: 'route-test-verify',
    LOG_LEVEL: 'error',
    ...extra,
  })
}

/** A session token for these claims, as the auth provider would issue it: signed, naming a live session. */
export async function sessionToken(claims: JwtClaims): Promise<string> {
  const { db } = await import('@/server/db/db')
  const [session] = await db().sql<{ id: string }[]>`
    insert into public.user_sessions (user_id, refresh_token_hash, user_agent, expires_at)
    values (${claims.sub}, ${randomBytes(32).toString('hex')}, 'route test', now() + interval '1 hour') returning id`
  return new SignJWT({ ...claims, session_id: session!.id }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET))
}
