// Sessions that really end (local provider): signing out, signing out everywhere and changing the
// password make every copy of the old cookies worthless at once; refresh tokens rotate, a replayed
// rotated token revokes its session, and people see and end only their own sessions.
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '@/server/auth/password-hash'
import { useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { createUser } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

type Jar = Record<string, string>
interface Answer {
  status: number
  body: { error?: { code: string }; sessions?: { id: string; userAgent: string | null; current: boolean }[]; user?: { id: string } }
  jar: Jar
  setCookies: Jar
}

const PASSWORD = 'plum-harbor-quietly-42'
let t: TestDatabase
let routes: {
  login: { POST: RouteHandler }
  logout: { POST: RouteHandler }
  session: { GET: RouteHandler }
  sessions: { GET: RouteHandler; DELETE: RouteHandler }
  sessionById: { DELETE: RouteHandler }
  password: { POST: RouteHandler }
}

const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ')

async function call(handler: RouteHandler, method: string, path: string, opts: { jar?: Jar; body?: unknown; params?: Record<string, string>; ua?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': opts.ua ?? 'vitest-browser', 'x-forwarded-for': '203.0.113.7' }
  if (opts.jar) headers.cookie = cookieHeader(opts.jar)
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const req = new NextRequest(`http://localhost${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) })
  const setCookies: Jar = {}
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const [name, ...value] = pair!.split('=')
    setCookies[name!] = value.join('=')
  }
  // The browser's jar after this answer: cookies set replace, cookies cleared (empty) disappear.
  const jar = { ...(opts.jar ?? {}) }
  for (const [name, value] of Object.entries(setCookies)) {
    if (value) jar[name] = value
    else delete jar[name]
  }
  return { status: res.status, body: await res.json().catch(() => ({})), jar, setCookies }
}

async function person(label: string) {
  const user = await createUser(t.db, label)
  await t.db.sql`update auth.users set encrypted_password = ${await hashPassword(PASSWORD)} where id = ${user.userId}`
  return user
}

async function signIn(email: string, ua = 'vitest-browser', password = PASSWORD) {
  const res = await call(routes.login.POST, 'POST', '/api/auth/login', { body: { email, password }, ua })
  expect(res.status).toBe(200)
  return res.jar
}

const sessionStatus = async (jar: Jar) => (await call(routes.session.GET, 'GET', '/api/session', { jar })).status
const onlyRefresh = (jar: Jar) => ({ conversa_refresh: jar.conversa_refresh! })

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  routes = {
    login: (await import('@/app/api/auth/login/route')) as never,
    logout: (await import('@/app/api/auth/logout/route')) as never,
    session: (await import('@/app/api/session/route')) as never,
    sessions: (await import('@/app/api/auth/sessions/route')) as never,
    sessionById: (await import('@/app/api/auth/sessions/[id]/route')) as never,
    password: (await import('@/app/api/auth/password/route')) as never,
  }
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('signing out', () => {
  it('makes the saved cookies worthless at once, the access token as much as the refresh token', async () => {
    const { email } = await person('leaver')
    const saved = await signIn(email)
    expect(saved.conversa_session).toBeTruthy()
    expect(saved.conversa_refresh).toBeTruthy()
    expect(await sessionStatus(saved)).toBe(200)

    const out = await call(routes.logout.POST, 'POST', '/api/auth/logout', { jar: saved })
    expect(out.status).toBe(200)
    expect(out.jar.conversa_session).toBeUndefined()

    expect(await sessionStatus(saved)).toBe(401)
    expect(await sessionStatus({ conversa_session: saved.conversa_session! })).toBe(401)
    expect(await sessionStatus(onlyRefresh(saved))).toBe(401)
  })

  it('ends only the session signed out of, not the same person on another device', async () => {
    const { email } = await person('two-devices')
    const laptop = await signIn(email, 'laptop')
    const phone = await signIn(email, 'phone')
    await call(routes.logout.POST, 'POST', '/api/auth/logout', { jar: laptop })
    expect(await sessionStatus(laptop)).toBe(401)
    expect(await sessionStatus(phone)).toBe(200)
  })

  it('works with an expired access token, through the refresh token alone', async () => {
    const { email } = await person('expired-leaver')
    const saved = await signIn(email)
    await call(routes.logout.POST, 'POST', '/api/auth/logout', { jar: onlyRefresh(saved) })
    expect(await sessionStatus(onlyRefresh(saved))).toBe(401)
    expect(await sessionStatus(saved)).toBe(401)
  })
})

describe('refresh tokens', () => {
  it('rotate on every use, and a replayed rotated token revokes the whole session', async () => {
    const { email } = await person('rotator')
    const first = await signIn(email)
    // No access cookie: the request renews through the refresh token and gets a new one.
    const renewed = await call(routes.session.GET, 'GET', '/api/session', { jar: onlyRefresh(first) })
    expect(renewed.status).toBe(200)
    expect(renewed.setCookies.conversa_refresh).toBeTruthy()
    expect(renewed.setCookies.conversa_refresh).not.toBe(first.conversa_refresh)
    const again = await call(routes.session.GET, 'GET', '/api/session', { jar: onlyRefresh(renewed.jar) })
    expect(again.status).toBe(200)
    expect(again.jar.conversa_refresh).not.toBe(renewed.jar.conversa_refresh)

    // The first token, two rotations old, comes back: someone copied it. The session ends for everyone.
    expect(await sessionStatus(onlyRefresh(first))).toBe(401)
    expect(await sessionStatus(again.jar)).toBe(401)
    expect(await sessionStatus(onlyRefresh(again.jar))).toBe(401)
    const [row] = await t.db.sql`select revoked_reason from public.user_sessions where user_id = (select id from auth.users where email = ${email})`
    expect(row!.revoked_reason).toBe('refresh_token_reused')
  })

  it('answer a second refresh with the just-replaced token without rotating again or revoking', async () => {
    const { email } = await person('two-tabs')
    const first = await signIn(email)
    const tabA = await call(routes.session.GET, 'GET', '/api/session', { jar: onlyRefresh(first) })
    const tabB = await call(routes.session.GET, 'GET', '/api/session', { jar: onlyRefresh(first) })
    expect([tabA.status, tabB.status]).toEqual([200, 200])
    expect(tabB.setCookies.conversa_session).toBeTruthy()
    expect(tabB.setCookies.conversa_refresh).toBeUndefined()
    expect(await sessionStatus(onlyRefresh(tabA.jar))).toBe(200)
  })

  it('are stored only as hashes', async () => {
    const { email } = await person('hashed')
    const jar = await signIn(email)
    const rows = await t.db.sql`select refresh_token_hash from public.user_sessions where user_id = (select id from auth.users where email = ${email})`
    expect(rows).toHaveLength(1)
    expect(rows[0]!.refresh_token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(rows)).not.toContain(jar.conversa_refresh!.split('.')[1])
  })
})

describe('Settings → Security', () => {
  it('lists the person’s own sessions with device and last use, marking the current one', async () => {
    const { email } = await person('lister')
    const laptop = await signIn(email, 'Firefox on Linux')
    await signIn(email, 'Safari on iPhone')
    const list = await call(routes.sessions.GET, 'GET', '/api/auth/sessions', { jar: laptop })
    expect(list.status).toBe(200)
    expect(list.body.sessions!.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['Firefox on Linux', true],
      ['Safari on iPhone', false],
    ])
  })

  it('ends one other session by id, and refuses another person’s session id', async () => {
    const { email } = await person('pruner')
    const laptop = await signIn(email, 'laptop')
    const phone = await signIn(email, 'phone')
    const { email: otherEmail } = await person('bystander')
    const stranger = await signIn(otherEmail)
    const strangerId = (await call(routes.sessions.GET, 'GET', '/api/auth/sessions', { jar: stranger })).body.sessions![0]!.id

    const refused = await call(routes.sessionById.DELETE, 'DELETE', `/api/auth/sessions/${strangerId}`, { jar: laptop, params: { id: strangerId } })
    expect(refused.status).toBe(404)
    expect(await sessionStatus(stranger)).toBe(200)

    const phoneId = (await call(routes.sessions.GET, 'GET', '/api/auth/sessions', { jar: laptop })).body.sessions!.find((s) => !s.current)!.id
    expect((await call(routes.sessionById.DELETE, 'DELETE', `/api/auth/sessions/${phoneId}`, { jar: laptop, params: { id: phoneId } })).status).toBe(200)
    expect(await sessionStatus(phone)).toBe(401)
    expect(await sessionStatus(laptop)).toBe(200)
  })

  it('signs out everywhere', async () => {
    const { email } = await person('everywhere')
    const laptop = await signIn(email, 'laptop')
    const phone = await signIn(email, 'phone')
    const res = await call(routes.sessions.DELETE, 'DELETE', '/api/auth/sessions', { jar: laptop })
    expect(res.status).toBe(200)
    expect(await sessionStatus(laptop)).toBe(401)
    expect(await sessionStatus(phone)).toBe(401)
    expect(await sessionStatus(onlyRefresh(phone))).toBe(401)
  })

  it('changing the password ends every session and keeps this browser signed in with a fresh one', async () => {
    const { email } = await person('changer')
    const here = await signIn(email, 'here')
    const thief = await signIn(email, 'thief')
    const wrong = await call(routes.password.POST, 'POST', '/api/auth/password', { jar: here, body: { currentPassword: 'not-it-at-all', newPassword: 'violet-canyon-drifts-77' } })
    expect(wrong.status).toBe(401)
    expect(await sessionStatus(thief)).toBe(200)

    const changed = await call(routes.password.POST, 'POST', '/api/auth/password', { jar: here, body: { currentPassword: PASSWORD, newPassword: 'violet-canyon-drifts-77' } })
    expect(changed.status).toBe(200)
    expect(await sessionStatus(thief)).toBe(401)
    expect(await sessionStatus(here)).toBe(401)
    expect(await sessionStatus(changed.jar)).toBe(200)
    const old = await call(routes.login.POST, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } })
    expect(old.status).toBe(401)
    await signIn(email, 'here', 'violet-canyon-drifts-77')
  })
})

describe('the sessions table under row level security', () => {
  it('shows each person only their own sessions, never a token hash, and lets no one change them', async () => {
    const a = await person('rls-a')
    const b = await person('rls-b')
    await signIn(a.email)
    await signIn(b.email)
    const seen = await t.db.withUser(a.claims, (tx) => tx<{ user_id: string }[]>`select user_id from public.user_sessions`)
    expect(seen.map((r) => r.user_id)).toEqual([a.userId])

    const attempt = async (statement: string) => {
      try {
        return await t.db.withUser(a.claims, async (tx) => (await tx.unsafe(statement)).count)
      } catch (error) {
        return (error as { code?: string }).code
      }
    }
    expect(await attempt('select refresh_token_hash from public.user_sessions')).toBe('42501')
    expect(await attempt(`update public.user_sessions set revoked_at = null where user_id = '${b.userId}'`)).toBe('42501')
    expect(await attempt(`delete from public.user_sessions where user_id = '${b.userId}'`)).toBe('42501')
    expect(await attempt(`insert into public.user_sessions (user_id, refresh_token_hash, expires_at) values ('${a.userId}', 'x', now())`)).toBe('42501')
    const [still] = await t.db.sql`select count(*)::int as n from public.user_sessions where user_id = ${b.userId} and revoked_at is null`
    expect(still!.n).toBe(1)
  })
})
