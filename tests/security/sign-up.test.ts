// Probe: sign-up accepted `12345678` and `password`. Through the real sign-up route (local provider):
// weak passwords get 422 naming the password with the policy's advice and create nothing; a strong one
// signs up. The local provider has no email to confirm through, so a taken address is still a 409.
import { randomBytes } from 'node:crypto'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

let t: TestDatabase
let route: { POST: RouteHandler }

async function signUp(body: Record<string, unknown>) {
  const req = new NextRequest('http://localhost/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fullName: 'Ricardo Almeida', tenantName: 'Almeida Lda', timezone: 'Europe/Lisbon', ...body }),
  })
  const res = await route.POST(req, { params: Promise.resolve({}) })
  return { status: res.status, body: await res.json(), cookies: res.headers.getSetCookie() }
}

const counts = async () => {
  const [row] = await t.db.sql<{ users: number; tenants: number }[]>`
    select (select count(*)::int from auth.users) as users, (select count(*)::int from public.tenants) as tenants`
  return row
}

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  route = (await import('@/app/api/auth/signup/route')) as unknown as typeof route
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('sign-up refuses weak passwords', () => {
  it.each([
    ['password', 'must be at least 10 characters'],
    ['12345678', 'must be at least 10 characters'],
    ['senha12345', 'is too easy to guess.'],
    ['ricardo.almeida', 'It contains your name or email address.'],
  ])('answers %s with 422 on the password and creates nothing', async (password, says) => {
    const before = await counts()
    const res = await signUp({ email: `ricardo.almeida+${randomBytes(3).toString('hex')}@example.test`, password })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('validation_failed')
    expect(res.body.error.details).toEqual([{ path: 'password', message: expect.stringContaining(says) }])
    expect(res.cookies).toEqual([])
    expect(await counts()).toEqual(before)
  })

  it('signs up with a strong password, and tells a taken address plainly (local provider only)', async () => {
    const email = `owner-${randomBytes(3).toString('hex')}@example.test`
    const created = await signUp({ email, password: 'plum-harbor-quietly-47' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ userId: expect.any(String), tenantId: expect.any(String) })
    const again = await signUp({ email, password: 'violet-canyon-drifts-77' })
    expect(again.status).toBe(409)
  })
})
