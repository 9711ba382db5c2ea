// Chooses the auth adapter and the token verifier from configuration, once per process.
import type { JwtClaims } from '@/core/auth/claims'
import { unauthenticated } from '@/core/errors/app-error'
import { config } from '@/server/config'
import { db } from '@/server/db/db'
import type { AuthProvider } from './auth-provider'
import { createLocalAuthProvider } from './local-auth-provider'
import { createSupabaseAuthProvider } from './supabase-auth-provider'
import { createJwtVerifier } from './verify-jwt'

let provider: AuthProvider | undefined
let verifier: ReturnType<typeof createJwtVerifier> | undefined

export function authProvider(): AuthProvider {
  const c = config()
  provider ??=
    c.AUTH_PROVIDER === 'supabase'
      ? createSupabaseAuthProvider(c.SUPABASE_URL!, c.SUPABASE_ANON_KEY!, db())
      : createLocalAuthProvider({
          db: db(),
          secret: c.JWT_SECRET!,
          issuer: `${c.APP_URL}/auth/v1`,
          accessTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
          sessionMaxAgeSeconds: c.SESSION_MAX_AGE_SECONDS,
        })
  return provider
}

/** The claims of a well-signed, unexpired token, whether or not its session has ended since. */
export function verifyAccessToken(token: string) {
  const c = config()
  verifier ??= createJwtVerifier({ secret: c.JWT_SECRET, jwksUrl: c.JWT_JWKS_URL })
  return verifier(token)
}

/** The claims of a token whose session is still live: what every request presenting one must pass. */
export async function authenticateAccessToken(token: string): Promise<JwtClaims> {
  const claims = await verifyAccessToken(token)
  if (!(await authProvider().isLive(claims))) throw unauthenticated('This session has ended; sign in again')
  return claims
}
