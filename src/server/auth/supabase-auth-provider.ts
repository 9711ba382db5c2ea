// Production provider: Supabase Auth through @supabase/supabase-js (email + password).
// Access tokens are Supabase's JWTs and stay valid until they expire (the project's "JWT expiry",
// 3600 s by default; set it to 900 s): signing out revokes the refresh tokens, so the session ends
// at the next refresh. Sessions are listed from Supabase's own auth.sessions table.
import { AuthClient, type AuthError } from '@supabase/supabase-js'
import { AppError, conflict, unauthenticated } from '@/core/errors/app-error'
import type { Db } from '@/server/db/create-db'
import type { AuthProvider, AuthSession, SessionSummary } from './auth-provider'

// GoTrue's refusals of a sign-up, by its error codes. Only with email confirmation off does it say an
// address is taken (user_already_exists); then a new address gets a session at once, so the answers
// differ whatever we say, and the plain 409 is the honest one.
function signUpError(error: AuthError): AppError {
  switch (error.code) {
    case 'user_already_exists':
    case 'email_exists':
      return conflict('An account with this email already exists')
    case 'weak_password':
      return new AppError('validation_failed', `password: ${error.message}`, [{ path: 'password', message: error.message }])
    case 'email_address_invalid':
      return new AppError('validation_failed', 'email: must be a valid email address', [{ path: 'email', message: 'must be a valid email address' }])
    case 'over_email_send_rate_limit':
    case 'over_request_rate_limit':
      return new AppError('rate_limited', 'Too many sign-ups right now. Try again in a few minutes.')
    default:
      return new AppError('bad_request', error.message)
  }
}

/** `options.fetch`: what the client calls GoTrue with (tests pass a stub). */
export function createSupabaseAuthProvider(url: string, anonKey: string, db: Db, options: { fetch?: typeof fetch } = {}): AuthProvider {
  // Server-side auth client alone (createClient would also build a Realtime client, which needs a global
  // WebSocket that Node 20 lacks): no storage, no auto refresh; the session lives in our httpOnly cookies.
  const client = () =>
    new AuthClient({
      url: `${url}/auth/v1`,
      headers: { apikey: anonKey, authorization: `Bearer ${anonKey}` },
      persistSession: false,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })

  const toSession = (s: { access_token: string; refresh_token: string; expires_at?: number; expires_in: number }): AuthSession => ({
    accessToken: s.access_token,
    refreshToken: s.refresh_token,
    expiresAt: s.expires_at ?? Math.floor(Date.now() / 1000) + s.expires_in,
  })

  return {
    async signUp({ email, password, fullName }) {
      const { data, error } = await client().signUp({ email, password, options: { data: { full_name: fullName } } })
      if (error) throw signUpError(error)
      // With email confirmation on (as it must be in production), Supabase answers an address that
      // already has a confirmed account with an obfuscated user and no session, just as it answers a
      // new one: both become the same 202, so sign-up does not reveal which addresses have accounts.
      if (!data.session) return { confirmationPending: true }
      return toSession(data.session)
    },
    async signIn(email, password) {
      const { data, error } = await client().signInWithPassword({ email, password })
      if (error || !data.session) throw unauthenticated('Wrong email or password')
      return toSession(data.session)
    },
    async refresh(refreshToken) {
      const { data, error } = await client().refreshSession({ refresh_token: refreshToken })
      return error || !data.session ? null : toSession(data.session)
    },
    async isLive() {
      // Supabase does not expose per-request revocation; the access token's expiry bounds it.
      return true
    },
    async signOut(caller, scope) {
      // An expired access token still names the session: renew it once to have a token GoTrue accepts.
      const token = caller.accessToken ?? (caller.refreshToken && (await client().refreshSession({ refresh_token: caller.refreshToken })).data.session?.access_token)
      if (token) await client().admin.signOut(token, scope === 'all' ? 'global' : 'local')
    },
    async changePassword(caller, current, next) {
      const c = client()
      const email = caller.claims.email
      // Proves the current password and gives this client a session to change it in.
      const { error: signInError } = await c.signInWithPassword({ email, password: current })
      if (signInError) throw unauthenticated('The current password is wrong')
      const { error } = await c.updateUser({ password: next })
      if (error) throw new AppError('validation_failed', error.message, [{ path: 'password', message: error.message }])
      const { data } = await c.getSession()
      await c.signOut({ scope: 'others' })
      if (!data.session) throw unauthenticated()
      return toSession(data.session)
    },
    async listSessions(claims) {
      const rows = await db.withService((tx) => tx<Omit<SessionSummary, 'current'>[]>`
        select id, user_agent as "userAgent", host(ip) as ip, created_at as "createdAt", coalesce(refreshed_at, updated_at, created_at) as "lastUsedAt"
        from auth.sessions where user_id = ${claims.sub} and (not_after is null or not_after > now())
        order by 5 desc`)
      return rows.map((r) => ({ ...r, current: r.id === claims.session_id }))
    },
    async revokeSession(claims, sessionId) {
      if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false
      const rows = await db.withService((tx) => tx`delete from auth.sessions where id = ${sessionId}::uuid and user_id = ${claims.sub} returning id`)
      return rows.length === 1
    },
  }
}
