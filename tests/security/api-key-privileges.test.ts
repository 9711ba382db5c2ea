// An API key acts as its creator with at most its own role, and never touches memberships, invitations
// or keys: an agent-role key once removed the admin who made it (the "leaving oneself" path).
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionToken, useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { createUser, seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

let t: TestDatabase
let acme: SeededTenant
let admin: { userId: string; token: string }
let agent: { userId: string }
let routes: {
  keys: { GET: RouteHandler; POST: RouteHandler }
  key: { DELETE: RouteHandler }
  members: { GET: RouteHandler }
  member: { PATCH: RouteHandler; DELETE: RouteHandler }
  invitations: { POST: RouteHandler }
}

async function call(handler: RouteHandler, method: string, bearer: string, opts: { body?: unknown; params?: Record<string, string> } = {}) {
  const req = new NextRequest('http://localhost/api/x', {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) })
  return { status: res.status, body: await res.json() }
}

const roleOf = async (userId: string) =>
  (await t.db.sql<{ role: string }[]>`select role from public.memberships where tenant_id = ${acme.tenantId} and user_id = ${userId}`)[0]?.role

async function keyOf(role: 'agent' | 'admin') {
  const res = await call(routes.keys.POST, 'POST', admin.token, { body: { name: `${role} key`, role } })
  expect(res.status).toBe(201)
  return res.body as { key: string; apiKey: { id: string } }
}

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  acme = await seedTenant(t.db, 'acme')
  const adminUser = await createUser(t.db, 'admin')
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${acme.tenantId}, ${adminUser.userId}, 'admin')`
  admin = { userId: adminUser.userId, token: await sessionToken(adminUser.claims) }
  const agentUser = await createUser(t.db, 'agent')
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${acme.tenantId}, ${agentUser.userId}, 'agent')`
  agent = { userId: agentUser.userId }
  routes = {
    keys: (await import('@/app/api/api-keys/route')) as never,
    key: (await import('@/app/api/api-keys/[id]/route')) as never,
    members: (await import('@/app/api/members/route')) as never,
    member: (await import('@/app/api/members/[userId]/route')) as never,
    invitations: (await import('@/app/api/invitations/route')) as never,
  }
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('an API key and memberships', () => {
  it('cannot remove its own creator (the agent-role key that removed an admin)', async () => {
    const { key } = await keyOf('agent')
    const res = await call(routes.member.DELETE, 'DELETE', key, { params: { userId: admin.userId } })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('forbidden')
    expect(await roleOf(admin.userId)).toBe('admin')
    // The creator's keys still work: nothing cascaded.
    expect((await call(routes.members.GET, 'GET', key)).status).toBe(200)
  })

  it('cannot change or remove anyone, whatever its role', async () => {
    const { key } = await keyOf('admin')
    expect((await call(routes.member.PATCH, 'PATCH', key, { params: { userId: agent.userId }, body: { role: 'supervisor' } })).status).toBe(403)
    expect((await call(routes.member.PATCH, 'PATCH', key, { params: { userId: admin.userId }, body: { role: 'agent' } })).status).toBe(403)
    expect((await call(routes.member.DELETE, 'DELETE', key, { params: { userId: agent.userId } })).status).toBe(403)
    expect([await roleOf(agent.userId), await roleOf(admin.userId)]).toEqual(['agent', 'admin'])
  })

  it('cannot invite people, list, make or revoke keys', async () => {
    const { key, apiKey } = await keyOf('admin')
    expect((await call(routes.invitations.POST, 'POST', key, { body: { email: 'new@example.test', role: 'agent' } })).status).toBe(403)
    expect((await call(routes.keys.GET, 'GET', key)).status).toBe(403)
    expect((await call(routes.keys.POST, 'POST', key, { body: { name: 'child', role: 'agent' } })).status).toBe(403)
    expect((await call(routes.key.DELETE, 'DELETE', key, { params: { id: apiKey.id } })).status).toBe(403)
    const [row] = await t.db.sql`select revoked_at from public.api_keys where id = ${apiKey.id}`
    expect(row!.revoked_at).toBeNull()
    const [invites] = await t.db.sql`select count(*)::int as n from public.invitations where email = 'new@example.test'`
    expect(invites!.n).toBe(0)
  })

  it('leaves the people themselves able to do all of it', async () => {
    const { apiKey } = await keyOf('agent')
    expect((await call(routes.key.DELETE, 'DELETE', admin.token, { params: { id: apiKey.id } })).status).toBe(200)
    expect((await call(routes.member.PATCH, 'PATCH', admin.token, { params: { userId: agent.userId }, body: { role: 'supervisor' } })).status).toBe(200)
    expect(await roleOf(agent.userId)).toBe('supervisor')
  })
})
