// Chooses the auth adapter and the token verifier from configuration, once per process.
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
      ? createSupabaseAuthProvider(c.SUPABASE_URL!, c.SUPABASE_ANON_KEY!)
      : createLocalAuthProvider({ db: db(), secret: c.JWT_SECRET!, issuer: `${c.APP_URL}/auth/v1`, ttlSeconds: c.SESSION_TTL_SECONDS })
  return provider
}

export function verifyAccessToken(token: string) {
  const c = config()
  verifier ??= createJwtVerifier({ secret: c.JWT_SECRET, jwksUrl: c.JWT_JWKS_URL })
  return verifier(token)
}
