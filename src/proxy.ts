// Runs before every page render: a fresh nonce, the Content-Security-Policy built on it, and HSTS on https
// deployments. Static security headers for every answer (API included) live in next.config.js.
import { NextResponse, type NextRequest } from 'next/server'
import { config as appConfig } from '@/server/config'
import { buildContentSecurityPolicy, createNonce, isHttpsDeployment } from '@/server/http/content-security-policy'

const HSTS = 'max-age=63072000; includeSubDomains; preload'

export function proxy(request: NextRequest) {
  const nonce = createNonce()
  // Decided per request, not in next.config.js: its headers() are frozen into the build, and a build may
  // be deployed behind https or served over http://localhost (the end-to-end stack).
  const https = isHttpsDeployment(process.env)
  const csp = buildContentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === 'development',
    https,
    // Only the Supabase Realtime adapter makes the browser talk to another host.
    supabaseUrl: process.env.NEXT_PUBLIC_REALTIME_DRIVER === 'supabase' ? appConfig().SUPABASE_URL : undefined,
  })
  // Next.js takes the nonce from the request's CSP header and puts it on every script it renders.
  const requestHeaders = new Headers(request.headers)
  requestHeaders.set('x-nonce', nonce)
  requestHeaders.set('content-security-policy', csp)
  const response = NextResponse.next({ request: { headers: requestHeaders } })
  response.headers.set('content-security-policy', csp)
  if (https) response.headers.set('strict-transport-security', HSTS)
  return response
}

export const config = {
  // Pages only: API routes answer JSON or files and set their own CSP where it matters (/api/media
  // sends a sandbox policy that must not be replaced); static assets carry no script to protect.
  // Prefetches are skipped as Next.js recommends: their RSC payload is never a document.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|emoji-data/|icons/|sw.js|manifest.webmanifest|icon.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
}
