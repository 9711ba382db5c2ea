// Probe: 30 wrong passwords in a row all got 401, then the right one worked. Through the real sign-in
// route (local provider, Postgres throttle) with a 4-second window: five failures per email+address,
// then 429 with Retry-After even for the right password, the same answers for an email no account
// has, nothing held against other addresses or accounts, and sign-in works again once the wait is over.
import { randomBytes } from 'node:crypto'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '@/server/auth/password-hash'
import { useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

const PASSWORD = 'plum-harbor-quietly-47'
const WRONG = 'not-the-password-at-all'

let t: TestDatabase
let route: { POST: RouteHandler }
let n = 0
// A client address of its own for each test (the route trusts one proxy hop, as on Vercel).
const address = () => `198.51.100.${++n}`

async function createAccount() {
  const email = `member-${randomBytes(4).toString('hex')}@example.test`
  await t.db.sql`insert into auth.users (email, encrypted_password) values (${email}, ${await hashPassword(PASSWORD)})`
  return email
}

async function signIn(email: string, password: string, ip: string) {
  const req = new NextRequest('http://localhost/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  })
  const res = await route.POST(req, { params: Promise.resolve({}) })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }
}

async function times(count: number, attempt: () => ReturnType<typeof signIn>) {
  const answers = []
  for (let i = 0; i < count; i++) answers.push(await attempt())
  return answers
}

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url, { SIGN_IN_THROTTLE_DRIVER: 'postgres', SIGN_IN_WINDOW_SECONDS: '4', SIGN_IN_MAX_FAILURES: '5', SIGN_IN_MAX_FAILURES_PER_IP: '30' })
  route = (await import('@/app/api/auth/login/route')) as unknown as typeof route
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('failed sign-ins are throttled', () => {
  it('refuses the right password after five wrong ones, says the same for an unknown email, and lets it in after the wait', async () => {
    const email = await createAccount()
    const ip = address()
    const known = await times(5, () => signIn(email, WRONG, ip))
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401])
    const locked = await signIn(email, PASSWORD, ip)
    expect(locked.status).toBe(429)
    expect(locked.retryAfter).toBe('4')
    expect(locked.body).toEqual({
      error: { code: 'rate_limited', message: 'Too many failed sign-in attempts. Try again in 4 seconds.', details: { retryAfterSeconds: 4 } },
    })

    // An email no account has gets the very same answers, in the same order.
    const stranger = `nobody-${randomBytes(4).toString('hex')}@example.test`
    const same = [...(await times(5, () => signIn(stranger, WRONG, ip))), await signIn(stranger, PASSWORD, ip)]
    expect(same).toEqual([...known, locked])

    // Nothing is held against the account elsewhere, nor against other accounts at this address.
    expect((await signIn(email, PASSWORD, address())).status).toBe(200)
    expect((await signIn(await createAccount(), PASSWORD, ip)).status).toBe(200)

    await new Promise((r) => setTimeout(r, Number(locked.retryAfter) * 1000 + 100))
    expect((await signIn(email, PASSWORD, ip)).status).toBe(200)
  })

  it('does not count a successful sign-in as a failure', async () => {
    const email = await createAccount()
    const ip = address()
    await times(4, () => signIn(email, WRONG, ip))
    expect((await signIn(email, PASSWORD, ip)).status).toBe(200)
    expect((await signIn(email, WRONG, ip)).status).toBe(401)
    expect((await signIn(email, PASSWORD, ip)).status).toBe(429)
  })

  it('lets only five of twelve guesses sent at once be checked', async () => {
    const email = await createAccount()
    const ip = address()
    const answers = await Promise.all(Array.from({ length: 12 }, () => signIn(email, WRONG, ip)))
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5)
    expect(answers.filter((a) => a.status === 429)).toHaveLength(7)
    expect((await signIn(email, PASSWORD, ip)).status).toBe(429)
  })
})
