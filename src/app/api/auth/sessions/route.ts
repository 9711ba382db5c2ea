// The signed-in person's own sessions (Settings → Security): list them, or sign out everywhere.
import { NextResponse } from 'next/server'
import { authProvider } from '@/server/auth/auth'
import { accountRoute } from '@/server/http/route'
import { clearSessionCookies } from '@/server/http/session-cookies'

export const GET = accountRoute({}, async ({ claims }) => ({ sessions: await authProvider().listSessions(claims) }))

export const DELETE = accountRoute({}, async ({ claims }) => {
  await authProvider().signOut({ claims }, 'all')
  const res = NextResponse.json({ ok: true })
  clearSessionCookies(res)
  return res
})
