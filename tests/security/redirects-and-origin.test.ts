// Open redirects and malformed Origin headers: a signed-in person sent to /api/auth/refresh?next=… must
// land on this app whatever `next` says, and an Origin that is not a URL is a cross-site request (403),
// never a 500.
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeNextPath } from '@/core/http/safe-next-path'
import { sessionToken, useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

// As typed into the address bar (the query string is percent-decoded before the app sees it).
const HOSTILE = [
  '//evil.example',
  '//evil.example/inbox',
  '/\\evil.example',
  '/%5Cevil.example',
  '/%5cevil.example',
  '/\\/evil.example',
  '/%09/evil.example',
  '/%0A/evil.example',
  '/%0D%0A/evil.example',
  '/\t/evil.example',
  '/%2F/evil.example',
  '/%252F%252Fevil.example',
  '/%2F%2Fevil.example',
  'https://evil.example',
  'http:evil.example',
  'https:/evil.example',
  '\\\\evil.example',
  'javascript:alert(1)',
  ' /\\evil.example',
  '/%E3%80%82/evil.example',
]

let t: TestDatabase
let owner: SeededTenant
let refresh: { GET: RouteHandler }
let logout: { POST: RouteHandler }
let contacts: { POST: RouteHandler }

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  owner = await seedTenant(t.db, 'redirects')
  refresh = (await import('@/app/api/auth/refresh/route')) as never
  logout = (await import('@/app/api/auth/logout/route')) as never
  contacts = (await import('@/app/api/contacts/route')) as never
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('the next path after signing in or renewing', () => {
  it.each(HOSTILE)('never leaves the app for %j', (typed) => {
    const next = new URLSearchParams(`next=${typed.replaceAll('&', '%26')}`).get('next')
    const path = safeNextPath(next)
    expect(new URL(path, 'https://conversa.example').origin).toBe('https://conversa.example')
    expect(path.startsWith('//')).toBe(false)
  })

  it('keeps an ordinary path with its query and fragment', () => {
    expect(safeNextPath('/inbox?conversation=abc&tab=notes#composer')).toBe('/inbox?conversation=abc&tab=notes#composer')
    expect(safeNextPath('/contacts/123')).toBe('/contacts/123')
    expect(safeNextPath(null)).toBe('/inbox')
  })

  it.each(HOSTILE)('redirects a signed-in person given %j only within the app', async (typed) => {
    const cookie = `conversa_session=${await sessionToken(owner.claims)}`
    const res = await refresh.GET(new NextRequest(`http://localhost:3000/api/auth/refresh?next=${typed.replaceAll('&', '%26').replaceAll('#', '%23')}`, { headers: { cookie } }), {
      params: Promise.resolve({}),
    })
    expect(res.status).toBe(307)
    const location = new URL(res.headers.get('location')!)
    expect(location.origin).toBe('http://localhost:3000')
  })
})

describe('an Origin header that is not a URL', () => {
  it.each(['foo', 'http://[::1', 'null', 'http://', '://', 'http://evil.example'])('is refused as cross-site (403) for %j', async (origin) => {
    const before = (await t.db.sql`select count(*)::int as n from public.contacts where tenant_id = ${owner.tenantId}`)[0]!.n
    const cookie = `conversa_session=${await sessionToken(owner.claims)}`
    const create = await contacts.POST(
      new NextRequest('http://localhost:3000/api/contacts', {
        method: 'POST',
        headers: { cookie, origin, host: 'localhost:3000', 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+5511988887777', name: 'Cross' }),
      }),
      { params: Promise.resolve({}) },
    )
    expect(create.status).toBe(403)
    expect((await create.json()).error.code).toBe('forbidden')
    const out = await logout.POST(new NextRequest('http://localhost:3000/api/auth/logout', { method: 'POST', headers: { cookie, origin, host: 'localhost:3000' } }), {
      params: Promise.resolve({}),
    })
    expect(out.status).toBe(403)
    expect((await t.db.sql`select count(*)::int as n from public.contacts where tenant_id = ${owner.tenantId}`)[0]!.n).toBe(before)
  })

  it('lets the same request through from our own origin', async () => {
    const cookie = `conversa_session=${await sessionToken(owner.claims)}`
    const res = await contacts.POST(
      new NextRequest('http://localhost:3000/api/contacts', {
        method: 'POST',
        headers: { cookie, origin: 'http://localhost:3000', host: 'localhost:3000', 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+5511988887777', name: 'Same site' }),
      }),
      { params: Promise.resolve({}) },
    )
    expect(res.status, await res.clone().text()).toBe(201)
  })
})
