// Local credentials provider: scrypt hashes in auth.users.encrypted_password, short-lived HS256 access
// JWTs with the claims Supabase Auth puts in its tokens, and server-side sessions (public.user_sessions)
// with rotating refresh tokens stored only as hashes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { SignJWT } from 'jose'
import { conflict, unauthenticated } from '@/core/errors/app-error'
import type { Db, Tx } from '@/server/db/create-db'
import { log } from '@/server/log'
import type { AuthProvider, AuthSession, Device, NewUser, SessionSummary } from './auth-provider'
import { hashPassword, verifyPassword } from './password-hash'

interface UserRow {
  id: string
  email: string
  encrypted_password: string | null
  raw_app_meta_data: Record<string, unknown>
  raw_user_meta_data: Record<string, unknown>
}

interface SessionRow {
  id: string
  user_id: string
  refresh_token_hash: string
  previous_token_hash: string | null
  rotated_recently: boolean
}

type RevokeReason = 'signed_out' | 'signed_out_everywhere' | 'password_changed' | 'refresh_token_reused' | 'revoked'

export interface LocalAuthOptions {
  db: Db
  secret: string
  issuer: string
  /** Lifetime of an access JWT: how long a stolen one stays useful. */
  accessTtlSeconds: number
  /** Lifetime of a session from sign-in: after it the person signs in again. */
  sessionMaxAgeSeconds: number
}

// Two requests of one page that both find the access token expired refresh with the same token; the
// second, arriving within this many seconds of the first, is answered without rotating again.
const REFRESH_GRACE_SECONDS = 30
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const sameHash = (a: string | null, b: string) => a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
// The token names its session so a replayed old token can be traced to the session it was stolen from.
const newRefreshToken = (sessionId: string) => `${sessionId}.${randomBytes(32).toString('base64url')}`
const sessionIdOf = (token: string) => {
  const id = token.split('.')[0] ?? ''
  return UUID.test(id) ? id : null
}
const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : null)

const USER_COLUMNS = 'id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data'

/** Without email delivery there is no confirmation step: sign-up always answers with a session. */
export type LocalAuthProvider = Omit<AuthProvider, 'signUp'> & { signUp(user: NewUser, device: Device): Promise<AuthSession> }

export function createLocalAuthProvider(deps: LocalAuthOptions): LocalAuthProvider {
  const key = new TextEncoder().encode(deps.secret)

  async function accessToken(user: UserRow, sessionId: string): Promise<Omit<AuthSession, 'refreshToken'>> {
    const now = Math.floor(Date.now() / 1000)
    const expiresAt = now + deps.accessTtlSeconds
    const token = await new SignJWT({
      email: user.email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'], ...user.raw_app_meta_data },
      user_metadata: user.raw_user_meta_data,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setAudience('authenticated')
      .setIssuer(deps.issuer)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(key)
    return { accessToken: token, expiresAt }
  }

  async function startSession(tx: Tx, user: UserRow, device: Device): Promise<AuthSession> {
    const [session] = await tx<{ id: string }[]>`
      insert into public.user_sessions (user_id, refresh_token_hash, user_agent, ip, expires_at)
      values (${user.id}, 'pending', ${clip(device.userAgent, 400)}, ${clip(device.ip, 64)},
              now() + make_interval(secs => ${deps.sessionMaxAgeSeconds}))
      returning id`
    const refreshToken = newRefreshToken(session!.id)
    await tx`update public.user_sessions set refresh_token_hash = ${sha256(refreshToken)} where id = ${session!.id}`
    return { ...(await accessToken(user, session!.id)), refreshToken }
  }

  const loadUser = async (tx: Tx, userId: string) =>
    (await tx.unsafe<UserRow[]>(`select ${USER_COLUMNS} from auth.users where id = $1`, [userId]))[0]

  async function revokeAll(tx: Tx, userId: string, reason: RevokeReason) {
    await tx`
      update public.user_sessions set revoked_at = now(), revoked_reason = ${reason}
      where user_id = ${userId} and revoked_at is null`
  }

  /** The live session a refresh token is the current (or just-replaced) token of, or null. */
  async function sessionOfToken(tx: Tx, refreshToken: string): Promise<SessionRow | null> {
    const id = sessionIdOf(refreshToken)
    if (!id) return null
    const [row] = await tx<SessionRow[]>`
      select id, user_id, refresh_token_hash, previous_token_hash,
             rotated_at > now() - make_interval(secs => ${REFRESH_GRACE_SECONDS}) as rotated_recently
      from public.user_sessions
      where id = ${id} and revoked_at is null and expires_at > now()
      for update`
    return row ?? null
  }

  return {
    async signUp({ email, password, fullName }, device) {
      const encrypted = await hashPassword(password)
      return deps.db.withService(async (tx) => {
        const [user] = await tx<UserRow[]>`
          insert into auth.users (email, encrypted_password, raw_user_meta_data)
          values (${email}, ${encrypted}, ${tx.json({ full_name: fullName })})
          on conflict (email) do nothing
          returning id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data`
        // There is no email delivery in the local provider to hide this behind, so a taken address
        // is said plainly (the Supabase provider answers alike for new and existing addresses).
        if (!user) throw conflict('An account with this email already exists')
        return startSession(tx, user, device)
      })
    },

    async signIn(email, password, device) {
      const [user] = await deps.db.withService((tx) => tx.unsafe<UserRow[]>(`select ${USER_COLUMNS} from auth.users where lower(email) = $1`, [email]))
      if (!(await verifyPassword(password, user?.encrypted_password ?? null)) || !user) throw unauthenticated('Wrong email or password')
      return deps.db.withService(async (tx) => {
        await tx`update auth.users set last_sign_in_at = now() where id = ${user.id}`
        return startSession(tx, user, device)
      })
    },

    async refresh(refreshToken, device) {
      return deps.db.withService(async (tx) => {
        const session = await sessionOfToken(tx, refreshToken)
        if (!session) return null
        const presented = sha256(refreshToken)
        const user = await loadUser(tx, session.user_id)
        if (!user) return null
        if (sameHash(session.refresh_token_hash, presented)) {
          const next = newRefreshToken(session.id)
          await tx`
            update public.user_sessions
            set refresh_token_hash = ${sha256(next)}, previous_token_hash = ${presented}, rotated_at = now(), last_used_at = now(),
                user_agent = coalesce(${clip(device.userAgent, 400)}, user_agent), ip = coalesce(${clip(device.ip, 64)}, ip)
            where id = ${session.id}`
          return { ...(await accessToken(user, session.id)), refreshToken: next }
        }
        if (session.rotated_recently && sameHash(session.previous_token_hash, presented)) return accessToken(user, session.id)
        // A rotated token came back: whoever holds it copied it, so the session ends for everyone.
        await tx`
          update public.user_sessions set revoked_at = now(), revoked_reason = 'refresh_token_reused'
          where id = ${session.id}`
        log.warn({ sessionId: session.id, userId: session.user_id }, 'a rotated refresh token was reused; session revoked')
        return null
      })
    },

    async isLive(claims) {
      if (!claims.session_id || !UUID.test(claims.session_id)) return false
      const rows = await deps.db.sql`
        select 1 from public.user_sessions
        where id = ${claims.session_id} and user_id = ${claims.sub} and revoked_at is null and expires_at > now()`
      return rows.length === 1
    },

    async signOut(caller, scope) {
      await deps.db.withService(async (tx) => {
        const fromToken = caller.refreshToken ? await sessionOfToken(tx, caller.refreshToken) : null
        const owned =
          fromToken && (sameHash(fromToken.refresh_token_hash, sha256(caller.refreshToken!)) || sameHash(fromToken.previous_token_hash, sha256(caller.refreshToken!)))
            ? fromToken
            : null
        const userId = caller.claims?.sub ?? owned?.user_id
        if (!userId) return
        if (scope === 'all') return revokeAll(tx, userId, 'signed_out_everywhere')
        const ids = [caller.claims?.session_id, owned?.id].filter((id): id is string => !!id && UUID.test(id))
        if (ids.length)
          await tx`
            update public.user_sessions set revoked_at = now(), revoked_reason = 'signed_out'
            where id in ${tx(ids)} and user_id = ${userId} and revoked_at is null`
      })
    },

    async changePassword({ claims }, current, next, device) {
      const user = await deps.db.withService((tx) => loadUser(tx, claims.sub))
      if (!user || !(await verifyPassword(current, user.encrypted_password))) throw unauthenticated('The current password is wrong')
      const encrypted = await hashPassword(next)
      return deps.db.withService(async (tx) => {
        await tx`update auth.users set encrypted_password = ${encrypted}, updated_at = now() where id = ${user.id}`
        await revokeAll(tx, user.id, 'password_changed')
        return startSession(tx, user, device)
      })
    },

    async listSessions(claims) {
      // Read as the person: the table's RLS policy shows each user only their own sessions.
      const rows = await deps.db.withUser(claims, (tx) => tx<Omit<SessionSummary, 'current'>[]>`
        select id, user_agent as "userAgent", ip, created_at as "createdAt", last_used_at as "lastUsedAt"
        from public.user_sessions
        where revoked_at is null and expires_at > now()
        order by last_used_at desc`)
      return rows.map((r) => ({ ...r, current: r.id === claims.session_id }))
    },

    async revokeSession(claims, sessionId) {
      if (!UUID.test(sessionId)) return false
      const rows = await deps.db.withService((tx) => tx`
        update public.user_sessions set revoked_at = now(), revoked_reason = 'revoked'
        where id = ${sessionId} and user_id = ${claims.sub} and revoked_at is null
        returning id`)
      return rows.length === 1
    },
  }
}
