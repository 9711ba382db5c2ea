// API keys through the real route handlers and a private database: issuing (shown once, stored as a
// sha256), authenticating workspace endpoints as the key's creator under RLS, the role cap, revocation,
// expiry, tenant isolation, and that user endpoints keep refusing keys.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JwtClaims } from '@/core/auth/claims'
import type { Role } from '@/core/tenancy/roles'
import { sessionToken, useRouteEnvironment, type RouteHandler } from './support/route-environment'
import { createUser, seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

type Handler = RouteHandler
interface Call {
  bearer?: string
  body?: unknown
  headers?: Record<string, string>
  cookie?: string
  params?: Record<string, string>
}

let t: TestDatabase
let alpha: SeededTenant
let beta: SeededTenant
let routes: {
  keys: { GET: Handler; POST: Handler }
  key: { DELETE: Handler }
  template: { DELETE: Handler }
  conversations: { GET: Handler }
  members: { GET: Handler }
  session: { GET: Handler }
}


async function call(handler: Handler, method: string, { bearer, body, headers = {}, cookie, params = {} }: Call = {}) {
  const req = new NextRequest(`http://localhost/api/test`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const res = await handler(req, { params: Promise.resolve(params) })
  return { status: res.status, body: await res.json() }
}

async function member(tenant: SeededTenant, label: string, role: Role) {
  const user = await createUser(t.db, label)
  await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${tenant.tenantId}, ${user.userId}, ${role})`
  return { ...user, token: await sessionToken(user.claims) }
}

async function issueKey(creator: { claims: JwtClaims }, role: Role, extra: Record<string, unknown> = {}) {
  const res = await call(routes.keys.POST, 'POST', { bearer: await sessionToken(creator.claims), body: { name: `${role} key`, role, ...extra } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { key: string; apiKey: { id: string; prefix: string; role: Role } }
}

const conversationIds = async (tenantId: string) =>
  (await t.db.sql<{ id: string }[]>`select id from public.conversations where tenant_id = ${tenantId}`).map((r) => r.id)
const memberIds = async (tenantId: string) =>
  (await t.db.sql<{ id: string }[]>`select user_id as id from public.memberships where tenant_id = ${tenantId}`).map((r) => r.id).sort()
const listedMembers = (res: { body: { members?: { userId: string }[] } }) => res.body.members?.map((m) => m.userId).sort()

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  alpha = await seedTenant(t.db, 'alpha')
  beta = await seedTenant(t.db, 'beta')
  routes = {
    keys: await import('@/app/api/api-keys/route'),
    key: await import('@/app/api/api-keys/[id]/route'),
    template: await import('@/app/api/templates/[id]/route'),
    conversations: await import('@/app/api/conversations/route'),
    members: await import('@/app/api/members/route'),
    session: await import('@/app/api/session/route'),
  } as unknown as typeof routes
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('issuing keys', () => {
  it('shows the key once as cv_live_ + 32 random bytes and stores only its sha256', async () => {
    const { key, apiKey } = await issueKey(alpha, 'agent')
    expect(key).toMatch(/^cv_live_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(key.slice(8), 'base64url')).toHaveLength(32)
    expect(key.startsWith(apiKey.prefix)).toBe(true)
    const [row] = await t.db.sql`select key_hash, prefix, created_by from public.api_keys where id = ${apiKey.id}`
    expect(row!.key_hash).toBe(createHash('sha256').update(key).digest('hex'))
    expect(row!.created_by).toBe(alpha.userId)

    const listed = await call(routes.keys.GET, 'GET', { bearer: await sessionToken(alpha.claims) })
    expect(listed.status).toBe(200)
    expect(listed.body.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id)
    expect(JSON.stringify(listed.body)).not.toContain(key)
    expect(JSON.stringify(listed.body)).not.toContain(row!.key_hash)
  })

  it('refuses agents and supervisors, roles above the issuer, and an expiry in the past', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const person = await member(alpha, `low-${role}`, role)
      expect((await call(routes.keys.POST, 'POST', { bearer: person.token, body: { name: 'x', role: 'agent' } })).status).toBe(403)
      expect((await call(routes.keys.GET, 'GET', { bearer: person.token })).status).toBe(403)
    }
    const admin = await member(alpha, 'admin', 'admin')
    const ownerKey = await call(routes.keys.POST, 'POST', { bearer: admin.token, body: { name: 'x', role: 'owner' } })
    expect(ownerKey.status).toBe(403)
    expect(ownerKey.body.error.code).toBe('forbidden')
    const past = await call(routes.keys.POST, 'POST', { bearer: admin.token, body: { name: 'x', role: 'agent', expiresAt: '2020-01-01T00:00:00Z' } })
    expect(past.status).toBe(422)
    expect(past.body.error.details).toEqual([{ path: 'expiresAt', message: 'must be in the future' }])
    const nameless = await call(routes.keys.POST, 'POST', { bearer: admin.token, body: { name: ' ', role: 'agent' } })
    expect(nameless.status).toBe(422)
  })
})

describe('authenticating with a key', () => {
  it("lists its workspace's conversations as its creator and records when it was last used", async () => {
    const { key, apiKey } = await issueKey(alpha, 'agent')
    const res = await call(routes.conversations.GET, 'GET', { bearer: key })
    expect(res.status).toBe(200)
    expect(res.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual((await conversationIds(alpha.tenantId)).sort())
    const [row] = await t.db.sql`select last_used_at from public.api_keys where id = ${apiKey.id}`
    expect(row!.last_used_at).not.toBeNull()
  })

  it('writes last_used_at at most once a minute', async () => {
    const { key, apiKey } = await issueKey(alpha, 'agent')
    await call(routes.members.GET, 'GET', { bearer: key })
    const lastUsed = async () => (await t.db.sql`select last_used_at from public.api_keys where id = ${apiKey.id}`)[0]!.last_used_at as Date
    const first = await lastUsed()
    await call(routes.members.GET, 'GET', { bearer: key })
    expect(await lastUsed()).toEqual(first)
    await t.db.sql`update public.api_keys set last_used_at = now() - interval '2 minutes' where id = ${apiKey.id}`
    const stale = await lastUsed()
    await call(routes.members.GET, 'GET', { bearer: key })
    expect((await lastUsed()).getTime()).toBeGreaterThan(stale.getTime() + 60_000)
  })

  it('acts with the lower of its role and its creator’s current role, and stops when the creator leaves', async () => {
    const admin = await member(alpha, 'demoted', 'admin')
    const { key } = await issueKey(admin, 'admin')
    // Deleting a template needs admin: a template that does not exist answers 404 only to an admin.
    const deleteTemplate = () => call(routes.template.DELETE, 'DELETE', { bearer: key, params: { id: randomUUID() } })
    expect((await deleteTemplate()).status).toBe(404)

    await t.db.sql`update public.memberships set role = 'agent' where tenant_id = ${alpha.tenantId} and user_id = ${admin.userId}`
    const capped = await deleteTemplate()
    expect(capped.status).toBe(403)
    expect(capped.body.error.code).toBe('forbidden')
    expect((await call(routes.members.GET, 'GET', { bearer: key })).status).toBe(200)

    await t.db.sql`delete from public.memberships where tenant_id = ${alpha.tenantId} and user_id = ${admin.userId}`
    const gone = await call(routes.members.GET, 'GET', { bearer: key })
    expect(gone.status).toBe(401)
    expect(gone.body.error.code).toBe('unauthenticated')
  })

  it('never manages keys, whatever its role', async () => {
    const ownerKey = await issueKey(alpha, 'owner')
    for (const bearer of [(await issueKey(alpha, 'agent')).key, (await issueKey(alpha, 'admin')).key, ownerKey.key]) {
      expect((await call(routes.keys.POST, 'POST', { bearer, body: { name: 'x', role: 'agent' } })).status).toBe(403)
      expect((await call(routes.keys.GET, 'GET', { bearer })).status).toBe(403)
      expect((await call(routes.key.DELETE, 'DELETE', { bearer, params: { id: ownerKey.apiKey.id } })).status).toBe(403)
    }
    expect((await call(routes.members.GET, 'GET', { bearer: ownerKey.key })).status).toBe(200)
  })

  it('answers 401 with our JSON error for revoked, expired, unknown and malformed keys', async () => {
    const revoked = await issueKey(alpha, 'agent')
    expect((await call(routes.members.GET, 'GET', { bearer: revoked.key })).status).toBe(200)
    const res = await call(routes.key.DELETE, 'DELETE', { bearer: await sessionToken(alpha.claims), params: { id: revoked.apiKey.id } })
    expect(res.status).toBe(200)

    const expired = await issueKey(alpha, 'agent', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect((await call(routes.members.GET, 'GET', { bearer: expired.key })).status).toBe(200)
    await t.db.sql`update public.api_keys set expires_at = now() - interval '1 second' where id = ${expired.apiKey.id}`

    const unknown = `cv_live_${randomBytes(32).toString('base64url')}`
    for (const key of [revoked.key, expired.key, unknown, 'cv_live_short']) {
      const denied = await call(routes.members.GET, 'GET', { bearer: key })
      expect(denied.status, key).toBe(401)
      expect(denied.body.error).toEqual({ code: 'unauthenticated', message: 'This API key is invalid, expired or revoked' })
    }
  })

  it("is pinned to its own workspace: tenant B's key never sees tenant A, whatever the request names", async () => {
    const { key } = await issueKey(beta, 'owner')
    const own = await call(routes.members.GET, 'GET', { bearer: key })
    expect(own.status).toBe(200)
    expect(listedMembers(own)).toEqual(await memberIds(beta.tenantId))

    const named = await call(routes.members.GET, 'GET', { bearer: key, headers: { 'x-tenant-id': alpha.tenantId } })
    expect(named.status).toBe(403)
    const cookie = await call(routes.members.GET, 'GET', { bearer: key, cookie: `conversa_tenant=${alpha.tenantId}` })
    expect(listedMembers(cookie)).toEqual(await memberIds(beta.tenantId))

    const [alphaTemplate] = await t.db.sql<{ id: string }[]>`select id from public.templates where tenant_id = ${alpha.tenantId} limit 1`
    const crossDelete = await call(routes.template.DELETE, 'DELETE', { bearer: key, params: { id: alphaTemplate!.id } })
    expect(crossDelete.status).toBe(404)
    expect(await t.db.sql`select 1 from public.templates where id = ${alphaTemplate!.id}`).toHaveLength(1)
  })

  it('a key of a creator who belongs to two workspaces still reaches only its own', async () => {
    await t.db.sql`insert into public.memberships (tenant_id, user_id, role) values (${beta.tenantId}, ${alpha.userId}, 'agent')`
    const { key } = await issueKey(alpha, 'agent')
    const res = await call(routes.members.GET, 'GET', { bearer: key, cookie: `conversa_tenant=${beta.tenantId}` })
    expect(listedMembers(res)).toEqual(await memberIds(alpha.tenantId))
    expect((await call(routes.members.GET, 'GET', { bearer: key, headers: { 'x-tenant-id': beta.tenantId } })).status).toBe(403)
    await t.db.sql`delete from public.memberships where tenant_id = ${beta.tenantId} and user_id = ${alpha.userId}`
  })

  it('is refused by endpoints that are not about a workspace', async () => {
    const { key } = await issueKey(alpha, 'owner')
    const res = await call(routes.session.GET, 'GET', { bearer: key })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('unauthenticated')
  })
})
