// Ends one of the person's own sessions, e.g. a browser left signed in elsewhere.
import { NextResponse } from 'next/server'
import { notFound } from '@/core/errors/app-error'
import { authProvider } from '@/server/auth/auth'
import { accountRoute } from '@/server/http/route'
import { clearSessionCookies } from '@/server/http/session-cookies'

export const DELETE = accountRoute({}, async ({ claims, params }) => {
  const id = String(params.id)
  if (!(await authProvider().revokeSession(claims, id))) throw notFound('Session')
  const res = NextResponse.json({ ok: true })
  if (id === claims.session_id) clearSessionCookies(res)
  return res
})
