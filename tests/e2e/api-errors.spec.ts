import { expect, test, type APIResponse } from '@playwright/test'
import { PASSWORD, signUpViaApi, uniqueEmail } from './support/accounts'

async function expectError(res: APIResponse, status: number, code: string) {
  expect(res.status()).toBe(status)
  const body = await res.json()
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
}

test.describe('bad input gets a clear JSON error and changes nothing', () => {
  test('invalid email and short password are 422 naming the field', async ({ request }) => {
    const email = uniqueEmail('bad')
    const res = await request.post('/api/auth/signup', { data: { email: 'nope', password: 'short', fullName: 'X', tenantName: 'Y' } })
    await expectError(res, 422, 'validation_failed')
    const paths = (await res.json()).error.details.map((d: { path: string }) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['email', 'password']))
    // Nothing was created: the email can still sign up.
    await expectError(await request.post('/api/auth/login', { data: { email, password: PASSWORD } }), 401, 'unauthenticated')
  })

  test('a duplicate sign-up is 409 and leaves the first account intact', async ({ request }) => {
    const first = await signUpViaApi(request, 'dup')
    const res = await request.post('/api/auth/signup', { data: { email: first.email, password: 'another-harbor-lantern-58', fullName: 'Copy', tenantName: 'Copy Inc' } })
    await expectError(res, 409, 'conflict')
    expect((await request.post('/api/auth/login', { data: { email: first.email, password: PASSWORD } })).status()).toBe(200)
    const session = await (await request.get('/api/session')).json()
    expect(session.tenants).toHaveLength(1)
  })

  test('an unknown, forged or missing token is 401', async ({ playwright, baseURL }) => {
    const anon = await playwright.request.newContext({ baseURL })
    await expectError(await anon.get('/api/session'), 401, 'unauthenticated')
    await expectError(await anon.get('/api/members', { headers: { authorization: 'Bearer not-a-token' } }), 401, 'unauthenticated')
    const forged = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: 'conversa_session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } })
    await expectError(await forged.get('/api/conversations'), 401, 'unauthenticated')
    await expectError(await anon.post('/api/auth/login', { data: { email: uniqueEmail('nobody'), password: 'whatever-123' } }), 401, 'unauthenticated')
  })

  test('a role acting above itself is 403: an admin cannot invite an owner', async ({ request, playwright, baseURL }) => {
    await signUpViaApi(request, 'boss')
    const adminEmail = uniqueEmail('admin')
    const invite = await (await request.post('/api/invitations', { data: { email: adminEmail, role: 'admin' } })).json()
    const token = new URL(invite.inviteUrl).pathname.split('/').pop()
    const admin = await playwright.request.newContext({ baseURL })
    const joined = await admin.post('/api/auth/signup', { data: { email: adminEmail, password: PASSWORD, fullName: 'Ad Min', inviteToken: token } })
    expect(joined.status()).toBe(201)
    await expectError(await admin.post('/api/invitations', { data: { email: uniqueEmail('o'), role: 'owner' } }), 403, 'forbidden')
    expect((await admin.post('/api/invitations', { data: { email: uniqueEmail('a'), role: 'agent' } })).status()).toBe(201)
  })

  test('an invitation used with another email is refused before any account is created', async ({ request, playwright, baseURL }) => {
    await signUpViaApi(request, 'inviter')
    const invite = await (await request.post('/api/invitations', { data: { email: uniqueEmail('invitee'), role: 'agent' } })).json()
    const token = new URL(invite.inviteUrl).pathname.split('/').pop()
    const stranger = await playwright.request.newContext({ baseURL })
    const email = uniqueEmail('stranger')
    await expectError(await stranger.post('/api/auth/signup', { data: { email, password: PASSWORD, fullName: 'S', inviteToken: token } }), 403, 'forbidden')
    await expectError(await stranger.post('/api/auth/login', { data: { email, password: PASSWORD } }), 401, 'unauthenticated')
  })

  test('an oversized body is 413, a non-JSON body 415, malformed JSON 400', async ({ request }) => {
    await expectError(await request.post('/api/auth/login', { data: { email: 'a@b.co', password: 'x'.repeat(40_000) } }), 413, 'payload_too_large')
    await expectError(await request.post('/api/auth/login', { data: Buffer.from('email=a'), headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type')
    await expectError(await request.post('/api/auth/login', { data: Buffer.from('{"email":'), headers: { 'content-type': 'application/json' } }), 400, 'bad_request')
  })

  test('SQL metacharacters in names are stored verbatim', async ({ request }) => {
    const name = "Robert'); DROP TABLE tenants;-- %_\\"
    await signUpViaApi(request, 'bobby', name)
    const session = await (await request.get('/api/session')).json()
    expect(session.tenants[0].name).toBe(name)
  })

  test('a cross-site mutation with the session cookie is refused', async ({ request }) => {
    await signUpViaApi(request, 'csrf')
    const res = await request.post('/api/invitations', { data: { email: uniqueEmail('v'), role: 'agent' }, headers: { origin: 'https://evil.example' } })
    await expectError(res, 403, 'forbidden')
    const members = await (await request.get('/api/members')).json()
    expect(members.invitations).toEqual([])
  })
})
