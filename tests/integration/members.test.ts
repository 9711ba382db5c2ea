// Managing members through the real route handlers: who may change which role, removing and leaving,
// the last owner kept, unassignment of a removed agent's conversations, and another workspace shut out.
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '@/core/tenancy/roles'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { createUser, seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

let t: TestDatabase
let acme: SeededTenant
let other: SeededTenant
let route: { PATCH: RouteHandler; DELETE: RouteHandler }

interface Person {
  userId: string
  token: string
}

async function member(tenant: SeededTenant, label: string, role: Role): Promise<Person> {
  const user = await createUser(t.db, label)
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenant.tenantId}, ${user.userId}, ${role})`
  return { userId: user.userId, token: await sessionToken(user.claims) }
}

async function call(method: 'PATCH' | 'DELETE', as: Person, userId: string, body?: unknown, tenantId = acme.tenantId) {
  const req = new NextRequest('http://localhost/api/members/x', {
    method,
    headers: { authorization: `Bearer ${as.token}`, 'x-tenant-id': tenantId, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const res = await route[method](req, { params: Promise.resolve({ userId }) })
  return { status: res.status, body: await res.json() }
}

const roleOf = async (userId: string) =>
  (await t.db.sql<{ role: Role }[]>`select role from public.memberships where tenant_id = ${acme.tenantId} and user_id = ${userId}`)[0]?.role

let owner: Person

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  acme = await seedTenant(t.db, 'acme')
  other = await seedTenant(t.db, 'other')
  owner = { userId: acme.userId, token: await sessionToken(acme.claims) }
  route = (await import('@/app/api/members/[userId]/route')) as unknown as typeof route
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('changing roles', () => {
  it('lets owners set any role and admins any role but owner, on members below owner', async () => {
    const admin = await member(acme, 'admin', 'admin')
    const agent = await member(acme, 'agent', 'agent')
    expect(await call('PATCH', owner, agent.userId, { role: 'supervisor' })).toMatchObject({ status: 200, body: { role: 'supervisor' } })
    expect(await roleOf(agent.userId)).toBe('supervisor')
    expect((await call('PATCH', admin, agent.userId, { role: 'admin' })).status).toBe(200)
    expect((await call('PATCH', admin, agent.userId, { role: 'owner' })).status).toBe(403)
    expect((await call('PATCH', admin, owner.userId, { role: 'agent' })).status).toBe(403)
    expect(await roleOf(owner.userId)).toBe('owner')

    const audit = await t.db.sql`select details from public.audit_log where tenant_id = ${acme.tenantId} and action = 'member.role_changed' and target_id = ${agent.userId} order by created_at`
    expect(audit.map((a) => a.details)).toEqual([{ from: 'agent', to: 'supervisor' }, { from: 'supervisor', to: 'admin' }])
  })

  it('refuses agents and supervisors, bad roles and unknown members with clear errors', async () => {
    const supervisor = await member(acme, 'sup', 'supervisor')
    const agent = await member(acme, 'agent2', 'agent')
    expect((await call('PATCH', supervisor, agent.userId, { role: 'supervisor' })).status).toBe(403)
    expect((await call('PATCH', agent, agent.userId, { role: 'admin' })).status).toBe(403)
    expect(await call('PATCH', owner, agent.userId, { role: 'boss' })).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } })
    expect((await call('PATCH', owner, 'not-a-uuid', { role: 'agent' })).status).toBe(404)
    expect((await call('PATCH', owner, other.userId, { role: 'agent' })).status).toBe(404)
    expect(await roleOf(agent.userId)).toBe('agent')
  })

  it('keeps the last owner: demoting or removing them is a 409 and changes nothing', async () => {
    const solo = await seedTenant(t.db, 'solo')
    const soloOwner = { userId: solo.userId, token: await sessionToken(solo.claims) }
    expect(await call('PATCH', soloOwner, solo.userId, { role: 'admin' }, solo.tenantId)).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: 'A workspace must keep at least one owner' } },
    })
    expect((await call('DELETE', soloOwner, solo.userId, undefined, solo.tenantId)).status).toBe(409)
    const [row] = await t.db.sql`select role from public.memberships where tenant_id = ${solo.tenantId} and user_id = ${solo.userId}`
    expect(row?.role).toBe('owner')
  })
})

describe('removing and leaving', () => {
  it('removes a member, unassigning their conversations; an admin cannot remove an owner', async () => {
    const admin = await member(acme, 'admin3', 'admin')
    const coOwner = await member(acme, 'owner2', 'owner')
    const agent = await member(acme, 'agent3', 'agent')
    const [conversation] = await t.db.sql<{ id: string }[]>`
      update public.conversations set assignee_id = ${agent.userId} where tenant_id = ${acme.tenantId} returning id`
    expect((await call('DELETE', admin, coOwner.userId)).status).toBe(403)
    expect(await call('DELETE', admin, agent.userId)).toMatchObject({ status: 200, body: { removed: agent.userId } })
    expect(await roleOf(agent.userId)).toBeUndefined()
    const [after] = await t.db.sql`select assignee_id from public.conversations where id = ${conversation!.id}`
    expect(after?.assignee_id).toBeNull()
  })

  it('lets any member leave, and nobody act on another workspace', async () => {
    const agent = await member(acme, 'leaver', 'agent')
    const outsider = { userId: other.userId, token: await sessionToken(other.claims) }
    const victim = await member(acme, 'victim', 'agent')
    expect((await call('DELETE', outsider, victim.userId)).status).toBe(403)
    expect((await call('DELETE', outsider, victim.userId, undefined, other.tenantId)).status).toBe(404)
    expect(await roleOf(victim.userId)).toBe('agent')
    expect((await call('DELETE', agent, victim.userId)).status).toBe(403)
    expect((await call('DELETE', agent, agent.userId)).status).toBe(200)
    expect(await roleOf(agent.userId)).toBeUndefined()
  })
})
