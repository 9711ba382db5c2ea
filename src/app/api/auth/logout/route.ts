import { NextResponse } from 'next/server'
import { publicRoute } from '@/server/http/route'
import { clearSessionCookies } from '@/server/http/session-cookies'

export const POST = publicRoute({}, async () => {
  const res = NextResponse.json({ ok: true })
  clearSessionCookies(res)
  return res
})
