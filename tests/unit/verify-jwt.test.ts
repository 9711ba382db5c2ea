import { randomUUID } from 'node:crypto'
import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { AppError } from '@/core/errors/app-error'
import { createJwtVerifier } from '@/server/auth/verify-jwt'

const secret = 'a-test-secret-that-is-long-enough-for-hs256!!'
const verify = createJwtVerifier({ secret })
const sub = randomUUID()

function token(overrides: { aud?: string; exp?: number; key?: string; email?: string } = {}) {
  return new SignJWT({ email: overrides.email ?? 'a@example.com', role: 'authenticated', app_metadata: {}, user_metadata: {} })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(overrides.aud ?? 'authenticated')
    .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 60)
    .sign(new TextEncoder().encode(overrides.key ?? secret))
}

describe('access token verification', () => {
  it('accepts a token in Supabase claim shape and returns its claims', async () => {
    const claims = await verify(await token())
    expect(claims).toMatchObject({ sub, email: 'a@example.com', role: 'authenticated' })
  })

  it.each([
    ['an expired token', () => token({ exp: Math.floor(Date.now() / 1000) - 10 })],
    ['a token signed with another key', () => token({ key: 'some-other-secret-that-is-also-long-enough' })],
    ['a token for another audience', () => token({ aud: 'anon' })],
    ['a token with malformed claims', () => token({ email: 'not-an-email' })],
    ['an unsigned token', async () => new UnsecuredJWT({ sub, email: 'a@example.com', role: 'authenticated', aud: 'authenticated' }).encode()],
    ['garbage', async () => 'not.a.jwt'],
  ])('rejects %s as unauthenticated', async (_label, make) => {
    const error = await verify(await make()).catch((e) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error.status).toBe(401)
  })
})
