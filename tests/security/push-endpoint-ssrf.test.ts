// Web-push endpoints cannot aim the server at our own network: the subscription route refuses a
// non-public endpoint with 422 and stores nothing, and the worker never connects to one that was stored
// before that check (or whose name now resolves privately), dropping it like an expired subscription.
import { createECDH, randomBytes } from 'node:crypto'
import net, { type AddressInfo } from 'node:net'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JwtClaims } from '@/core/auth/claims'
import { sessionToken, useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

const VAPID = createECDH('prime256v1')
VAPID.generateKeys()
const PUSH = { subject: 'mailto:push@example.test', publicKey: VAPID.getPublicKey().toString('base64url'), privateKey: VAPID.getPrivateKey().toString('base64url') }
const BROWSER = createECDH('prime256v1')
BROWSER.generateKeys()
const KEYS = { p256dh: BROWSER.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') }

let t: TestDatabase
let alpha: SeededTenant
let route: { POST: RouteHandler }
let token: string

// Sessions are honoured only while live (local auth provider): the token names a live session row
// when this database has them.
async function liveToken(claims: JwtClaims) {
  const [found] = await t.db.sql<{ exists: boolean }[]>`select to_regclass('public.user_sessions') is not null as exists`
  if (!found!.exists) return sessionToken(claims)
  const [session] = await t.db.sql<{ id: string }[]>`
    insert into public.user_sessions (user_id, refresh_token_hash, expires_at)
    values (${claims.sub}, ${randomBytes(32).toString('hex')}, now() + interval '1 hour') returning id`
  return sessionToken({ ...claims, session_id: session!.id })
}

beforeAll(async () => {
  t = await createTestDatabase()
  // No host is exempt here, whatever another file of this process configured.
  useRouteEnvironment(t.url, { OUTBOUND_ALLOW_PRIVATE_HOSTS: '' })
  alpha = await seedTenant(t.db, 'alpha')
  route = (await import('@/app/api/push/subscriptions/route')) as unknown as { POST: RouteHandler }
  token = await liveToken(alpha.claims)
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

async function subscribe(endpoint: string) {
  const req = new NextRequest('http://localhost/api/push/subscriptions', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-tenant-id': alpha.tenantId, 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint, keys: KEYS }),
  })
  const res = await route.POST(req, { params: Promise.resolve({}) })
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details?: { path: string; message: string }[] } } }
}

const stored = async () =>
  (await t.db.sql<{ endpoint: string }[]>`select endpoint from public.push_subscriptions where tenant_id = ${alpha.tenantId} order by endpoint`).map((r) => r.endpoint)

describe('POST /api/push/subscriptions', () => {
  it.each([
    'https://127.0.0.1/push/1',
    'https://localhost:8443/push/1',
    'https://2130706433/push/1',
    'https://0x7f.1/push/1',
    'https://[::1]/push/1',
    'https://[::ffff:7f00:1]/push/1',
    'https://10.0.0.5/push/1',
    'https://172.16.3.4/push/1',
    'https://192.168.1.20/push/1',
    'https://100.64.1.1/push/1',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/latest/meta-data/',
    'https://100.100.100.200/latest/meta-data/',
    'https://[fe80::1]/push/1',
    'https://0.0.0.0/push/1',
  ])('answers 422 for the non-public endpoint %s and stores nothing', async (endpoint) => {
    const before = await stored()
    const res = await subscribe(endpoint)
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^endpoint: points to .*only public internet addresses are allowed$/) })
    expect(res.body.error!.details).toEqual([{ path: 'endpoint', message: expect.stringContaining('points to') }])
    expect(await stored()).toEqual(before)
  })

  it('answers 422 for an endpoint with credentials in it', async () => {
    const res = await subscribe('https://user:pass@142.250.74.138/fcm/send/x')
    expect(res.status).toBe(422)
    expect(res.body.error!.message).toBe('endpoint: must not contain a user name or password')
  })

  it('still saves an endpoint on a public address', async () => {
    const endpoint = 'https://142.250.74.138/fcm/send/public-one'
    const res = await subscribe(endpoint)
    expect(res.status).toBe(200)
    expect(await stored()).toContain(endpoint)
  })
})

describe('web push from the worker', () => {
  let receiver: net.Server
  let port: number
  let connections = 0

  beforeAll(async () => {
    // Anything listening on loopback, e.g. an internal admin port: it must never be reached.
    receiver = net.createServer((socket) => {
      connections++
      socket.destroy()
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    port = (receiver.address() as AddressInfo).port
  })
  afterAll(() => new Promise((r) => receiver.close(r)))

  it('never contacts a stored subscription on a non-public address, and drops it as gone', async () => {
    const { notifyAssignees } = await import('@/server/push/notify-assignees')
    const [c] = await t.db.sql<{ id: string }[]>`select id from public.conversations where tenant_id = ${alpha.tenantId} limit 1`
    await t.db.sql`update public.conversations set assignee_id = ${alpha.userId} where id = ${c!.id}`
    await t.db.sql`delete from public.push_subscriptions where tenant_id = ${alpha.tenantId}`
    // Rows as they could exist from before the route checked endpoints.
    const refused = [
      `https://127.0.0.1:${port}/old`,
      `https://localhost:${port}/old`,
      `https://[::1]:${port}/old`,
      `https://[::ffff:127.0.0.1]:${port}/old`,
      `https://2130706433:${port}/old`,
      'https://169.254.169.254/latest/meta-data/',
    ]
    // A name that does not resolve is a failure like any other, not a reason to drop the subscription.
    const unresolvable = 'https://push.invalid/unknown'
    for (const endpoint of [...refused, unresolvable])
      await t.db.sql`
        insert into public.push_subscriptions (tenant_id, user_id, endpoint, p256dh, auth)
        values (${alpha.tenantId}, ${alpha.userId}, ${endpoint}, ${KEYS.p256dh}, ${KEYS.auth})`

    const result = await notifyAssignees(t.db, PUSH, [{ tenantId: alpha.tenantId, conversationId: c!.id }])
    expect(result).toEqual({ sent: 0, removed: refused.length })
    expect(connections).toBe(0)
    expect(await stored()).toEqual([unresolvable])
  })
})
