// Changing the password ends every session of the account (a thief's too) and starts a fresh one here.
import { NextResponse } from 'next/server'
import { assertAcceptablePassword } from '@/core/auth/password-policy'
import { changePasswordSchema } from '@/core/auth/schemas'
import { authProvider } from '@/server/auth/auth'
import { deviceOf } from '@/server/http/resolve-session'
import { accountRoute } from '@/server/http/route'
import { REFRESH_COOKIE, setSessionCookies } from '@/server/http/session-cookies'

export const POST = accountRoute({ input: changePasswordSchema, maxBodyBytes: 16_384 }, async ({ claims, input, req }) => {
  assertAcceptablePassword(input.newPassword, { email: claims.email, fullName: claims.user_metadata.full_name }, 'newPassword')
  const session = await authProvider().changePassword(
    { claims, refreshToken: req.cookies.get(REFRESH_COOKIE)?.value },
    input.currentPassword,
    input.newPassword,
    deviceOf(req.headers),
  )
  const res = NextResponse.json({ ok: true })
  setSessionCookies(res, session)
  return res
})
