// Probe: sign-up answered 409 "An account with this email already exists", telling anyone which addresses
// have accounts. With the Supabase provider and email confirmation on, Supabase answers a new address
// and one with a confirmed account alike (an obfuscated user, no session), and so must we: 202 "check
// your inbox" for both. GoTrue is stood in for by a stubbed fetch answering recorded responses
// (tests/fixtures/supabase-auth). The local provider, which sends no email, keeps its 409 (sign-up.test.ts).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppError } from '@/core/errors/app-error'
import type { Db } from '@/server/db/create-db'
import { createSupabaseAuthProvider } from '@/server/auth/supabase-auth-provider'
import { useRouteEnvironment, type RouteHandler } from '../integration/support/route-environment'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'

const SUPABASE_URL = 'https://project-ref.supabase.test'
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/supabase-auth')

type Fixture = 'signup-new-address' | 'signup-existing-address-obfuscated' | 'signup-session' | 'signup-user-already-exists' | 'signup-weak-password'

interface SentSignUp {
  url: string
  body: { email: string; password: string; data: Record<string, unknown> }
}

/** A fetch that answers GoTrue's /signup with a recorded response, and records what was sent. */
function goTrue(answer: (email: string) => Fixture) {
  const sent: SentSignUp[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input)
    const body = JSON.parse(String(init?.body)) as SentSignUp['body']
    sent.push({ url, body })
    const { status, body: reply } = JSON.parse(readFileSync(path.join(FIXTURES, `${answer(body.email)}.json`), 'utf8'))
    return new Response(JSON.stringify(reply), { status, headers: { 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' } })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent }
}

const newUser = { email: 'new-owner@example.test', password: 'plum-harbor-quietly-47', fullName: 'New Owner' }
const device = { userAgent: 'vitest' }

async function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (error: AppError) => error,
  )
}

describe('the Supabase provider signs up', () => {
  const provider = (fixture: Fixture) => {
    const stub = goTrue(() => fixture)
    return { auth: createSupabaseAuthProvider(SUPABASE_URL, 'anon-key', {} as Db, { fetch: stub.fetch }), sent: stub.sent }
  }

  it('answers "confirmation pending" alike for a new address and one that already has an account', async () => {
    const fresh = provider('signup-new-address')
    const taken = provider('signup-existing-address-obfuscated')
    expect(await fresh.auth.signUp(newUser, device)).toEqual({ confirmationPending: true })
    expect(await taken.auth.signUp({ ...newUser, email: 'existing-owner@example.test' }, device)).toEqual({ confirmationPending: true })
    expect(fresh.sent).toEqual([{ url: `${SUPABASE_URL}/auth/v1/signup`, body: expect.objectContaining({ email: newUser.email, password: newUser.password, data: { full_name: 'New Owner' } }) }])
  })

  it('signs in at once when the project confirms no emails', async () => {
    const { auth } = provider('signup-session')
    expect(await auth.signUp(newUser, device)).toEqual({ accessToken: 'header.payload.signature', refreshToken: 'v2yyqkq5xg3r', expiresAt: 1767783600 })
  })

  it('says an address is taken only where Supabase does (confirmation off), as a 409', async () => {
    const error = await refusal(provider('signup-user-already-exists').auth.signUp(newUser, device))
    expect({ status: error?.status, code: error?.code }).toEqual({ status: 409, code: 'conflict' })
  })

  it("turns Supabase's own password rules into a 422 on the password, not a 409", async () => {
    const error = await refusal(provider('signup-weak-password').auth.signUp(newUser, device))
    expect(error?.status).toBe(422)
    expect(error?.details).toEqual([{ path: 'password', message: expect.stringContaining('Password should contain') }])
  })
})

describe('the sign-up route with the Supabase provider', () => {
  let t: TestDatabase
  let route: { POST: RouteHandler }

  beforeAll(async () => {
    t = await createTestDatabase()
    useRouteEnvironment(t.url, { AUTH_PROVIDER: 'supabase', SUPABASE_URL, SUPABASE_ANON_KEY: 'anon-key' })
    route = (await import('@/app/api/auth/signup/route')) as unknown as typeof route
  })
  afterAll(async () => {
    const { db } = await import('@/server/db/db')
    await db().end()
    await t?.drop()
  })

  async function signUp(email: string) {
    const req = new NextRequest('http://localhost/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'plum-harbor-quietly-47', fullName: 'Some Owner', tenantName: 'Some Company' }),
    })
    const res = await route.POST(req, { params: Promise.resolve({}) })
    return { status: res.status, body: await res.json(), cookies: res.headers.getSetCookie() }
  }

  it('answers 202 "check your inbox", word for word the same, for a new address and a taken one, and creates nothing yet', async () => {
    const stub = goTrue((email) => (email.startsWith('existing') ? 'signup-existing-address-obfuscated' : 'signup-new-address'))
    vi.stubGlobal('fetch', stub.fetch)
    const fresh = await signUp('new-owner@example.test')
    const taken = await signUp('existing-owner@example.test')
    expect(stub.sent).toHaveLength(2)
    expect(fresh).toEqual({
      status: 202,
      body: { confirmationPending: true, message: 'Check your inbox: follow the link we sent to confirm your email address, then sign in.' },
      cookies: [],
    })
    expect(taken).toEqual(fresh)
    const [row] = await t.db.sql<{ tenants: number }[]>`select count(*)::int as tenants from public.tenants`
    expect(row!.tenants).toBe(0)
  })
})
