// Verifies an access token (Supabase's JWKS or an HS256 secret) and returns its claims in our schema.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import { jwtClaimsSchema, type JwtClaims } from '@/core/auth/claims'
import { unauthenticated } from '@/core/errors/app-error'

export interface VerifierOptions {
  secret?: string
  jwksUrl?: string
}

export function createJwtVerifier(options: VerifierOptions) {
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined

  return async function verify(token: string): Promise<JwtClaims> {
    try {
      const { payload } =
        jwks && !isHs256(token)
          ? await jwtVerify(token, jwks, { audience: 'authenticated' })
          : await jwtVerify(token, secret ?? new Uint8Array(), { audience: 'authenticated', algorithms: ['HS256'] })
      const claims = jwtClaimsSchema.safeParse(payload)
      if (!claims.success) throw new Error('claims do not match the expected shape')
      return claims.data
    } catch {
      // Expired, forged, malformed: the caller only learns that the session is not valid.
      throw unauthenticated('Your session is invalid or has expired; sign in again')
    }
  }
}

function isHs256(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'))
    return header.alg === 'HS256'
  } catch {
    return false
  }
}
