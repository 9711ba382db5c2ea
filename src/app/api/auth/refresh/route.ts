// Pages cannot set cookies while rendering, so an expired page session detours here to renew.
import { NextResponse } from 'next/server'
import { safeNextPath } from '@/core/http/safe-next-path'
import { publicRoute } from '@/server/http/route'
import { resolveSession } from '@/server/http/resolve-session'
import { clearSessionCookies, setSessionCookies } from '@/server/http/session-cookies'

export const GET = publicRoute({}, async ({ req }) => {
  const target = safeNextPath(req.nextUrl.searchParams.get('next'))
  try {
    const session = await resolveSession(req.headers, req.cookies)
    const res = NextResponse.redirect(new URL(target, req.url))
    if (session.renewed) setSessionCookies(res, session.renewed)
    return res
  } catch {
    const res = NextResponse.redirect(new URL(`/login?next=${encodeURIComponent(target)}`, req.url))
    clearSessionCookies(res)
    return res
  }
})
