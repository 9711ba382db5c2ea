import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/core/errors/app-error'
import { acceptInvitation } from '@/core/tenancy/accept-invitation'
import { createTenant } from '@/core/tenancy/create-tenant'
import { inviteMember } from '@/core/tenancy/invite-member'
import { listAllTenants } from '@/core/tenancy/list-all-tenants'
import { listMembers } from '@/core/tenancy/list-members'
import { listMyTenants } from '@/core/tenancy/list-my-tenants'
import type { Role } from '@/core/tenancy/roles'
import { createLocalAuthProvider } from '@/server/auth/local-auth-provider'
import { createJwtVerifier } from '@/server/auth/verify-jwt'
import { createUser, seedTenant, type SeededTenant } from './support/seed-tenant'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const SECRET = 'integration-test-secret-with-enough-length-0123456789'

async function errorOf(p: Promise<unknown>) {
  return p.then(
    () => undefined,
    (e) => e as AppError & { code: string },
  )
}

describe('workspaces, members and invitations', () => {
  let t: TestDatabase
  let owner: SeededTenant

  beforeAll(async () => {
    t = await createTestDatabase()
    owner = await seedTenant(t.db, 'owner')
  })
  afterAll(() => t.drop())

  async function joinAs(role: Role) {
    const user = await createUser(t.db, role)
    const { token } = await t.db.withUser(owner.claims, (tx) =>
      inviteMember(tx, { userId: owner.userId, tenantId: owner.tenantId, role: 'owner' }, { email: user.email, role }),
    )
    await t.db.withUser(user.claims, (tx) => acceptInvitation(tx, token))
    return user
  }

  it('stores a workspace name with SQL metacharacters verbatim and makes the caller its owner', async () => {
    const user = await createUser(t.db, 'bobby')
    const name = "Robert'); DROP TABLE tenants;-- %_\\"
    const tenantId = await t.db.withUser(user.claims, (tx) => createTenant(tx, { name, timezone: 'UTC' }))
    const mine = await t.db.withUser(user.claims, (tx) => listMyTenants(tx))
    expect(mine).toEqual([{ id: tenantId, name, role: 'owner' }])
  })

  it('lets an invited person join with the invited role, once', async () => {
    const agent = await joinAs('agent')
    const { members } = await t.db.withUser(owner.claims, (tx) => listMembers(tx, owner.tenantId))
    expect(members.find((m) => m.userId === agent.userId)?.role).toBe('agent')
  })

  it('refuses an invitation accepted by someone it was not sent to', async () => {
    const stranger = await createUser(t.db, 'stranger')
    const { token } = await t.db.withUser(owner.claims, (tx) =>
      inviteMember(tx, { userId: owner.userId, tenantId: owner.tenantId, role: 'owner' }, { email: 'someone-else@example.test', role: 'agent' }),
    )
    const error = await errorOf(t.db.withUser(stranger.claims, (tx) => acceptInvitation(tx, token)))
    expect(error?.status).toBe(403)
    expect(await t.db.withUser(stranger.claims, (tx) => listMyTenants(tx))).toEqual([])
  })

  it('refuses an expired invitation and an unknown token', async () => {
    const late = await createUser(t.db, 'late')
    const { token, invitation } = await t.db.withUser(owner.claims, (tx) =>
      inviteMember(tx, { userId: owner.userId, tenantId: owner.tenantId, role: 'owner' }, { email: late.email, role: 'agent' }),
    )
    await t.db.sql`update public.invitations set expires_at = now() - interval '1 minute' where id = ${invitation.id}`
    expect((await errorOf(t.db.withUser(late.claims, (tx) => acceptInvitation(tx, token))))?.status).toBe(400)
    expect((await errorOf(t.db.withUser(late.claims, (tx) => acceptInvitation(tx, 'x'.repeat(43)))))?.status).toBe(404)
  })

  it('lets admins invite any role but owner, and agents or supervisors invite nobody', async () => {
    const admin = await joinAs('admin')
    const supervisor = await joinAs('supervisor')
    const invite = (user: { userId: string; claims: SeededTenant['claims'] }, actorRole: Role, role: Role) =>
      errorOf(t.db.withUser(user.claims, (tx) => inviteMember(tx, { userId: user.userId, tenantId: owner.tenantId, role: actorRole }, { email: `new-${role}-${Math.random()}@example.test`, role })))

    expect((await invite(admin, 'admin', 'owner'))?.status).toBe(403)
    expect(await invite(admin, 'admin', 'supervisor')).toBeUndefined()
    expect((await invite(supervisor, 'supervisor', 'agent'))?.status).toBe(403)
  })

  it('enforces the same role rules in the database when the application check is bypassed', async () => {
    const agent = await joinAs('agent')
    const admin = await joinAs('admin')
    const insert = (user: { claims: SeededTenant['claims']; userId: string }, role: Role) =>
      errorOf(
        t.db.withUser(user.claims, (tx) => tx`
          insert into public.invitations (tenant_id, email, role, token_hash, invited_by)
          values (${owner.tenantId}, ${`direct-${Math.random()}@example.test`}, ${role}, ${randomBytes(32).toString('hex')}, ${user.userId})`),
      )
    expect((await insert(agent, 'agent'))?.code).toBe('42501')
    expect((await insert(admin, 'owner'))?.code).toBe('42501')
    expect(await insert(admin, 'agent')).toBeUndefined()
    // An agent cannot promote themselves either: the row is invisible to the update.
    const promoted = await t.db.withUser(agent.claims, (tx) => tx`update public.memberships set role = 'owner' where user_id = ${agent.userId}`)
    expect(promoted.count).toBe(0)
  })

  it('never leaves a workspace without an owner', async () => {
    const error = await errorOf(t.db.withUser(owner.claims, (tx) => tx`delete from public.memberships where user_id = ${owner.userId} and tenant_id = ${owner.tenantId}`))
    expect(error?.message).toBe('last_owner')
  })

  it('shows platform admins every tenant read-only, and everyone else only their own', async () => {
    const platformAdmin = await createUser(t.db, 'platform', { platform_admin: true })
    const all = await t.db.withUser(platformAdmin.claims, (tx) => listAllTenants(tx))
    expect(all.map((x) => x.id)).toContain(owner.tenantId)
    const renamed = await t.db.withUser(platformAdmin.claims, (tx) => tx`update public.tenants set name = 'hijacked' where id = ${owner.tenantId}`)
    expect(renamed.count).toBe(0)

    const other = await seedTenant(t.db, 'other')
    const visible = await t.db.withUser(other.claims, (tx) => listAllTenants(tx))
    expect(visible.map((x) => x.id)).toEqual([other.tenantId])
  })
})

describe('local credentials provider', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.drop())

  it('issues Supabase-shaped tokens, refuses a duplicate email and a wrong password alike', async () => {
    const auth = createLocalAuthProvider({ db: t.db, secret: SECRET, issuer: 'http://localhost/auth/v1', accessTtlSeconds: 600, sessionMaxAgeSeconds: 3600 })
    const device = { userAgent: 'vitest' }
    const verify = createJwtVerifier({ secret: SECRET })
    const session = await auth.signUp({ email: 'ana@example.test', password: 'correct-password', fullName: 'Ana' }, device)
    const claims = await verify(session.accessToken)
    expect(claims).toMatchObject({ email: 'ana@example.test', role: 'authenticated', aud: 'authenticated', user_metadata: { full_name: 'Ana' } })

    expect((await errorOf(auth.signUp({ email: 'ana@example.test', password: 'other-password', fullName: 'Copy' }, device)))?.status).toBe(409)
    expect((await auth.signIn('ana@example.test', 'correct-password', device)).accessToken).toBeTruthy()
    const wrong = await errorOf(auth.signIn('ana@example.test', 'wrong-password', device))
    const unknown = await errorOf(auth.signIn('nobody@example.test', 'wrong-password', device))
    expect([wrong?.status, unknown?.status]).toEqual([401, 401])
    expect(wrong?.message).toBe(unknown?.message)
    const [stored] = await t.db.sql`select encrypted_password from auth.users where email = 'ana@example.test'`
    expect(stored!.encrypted_password).not.toContain('correct-password')
  })
})
