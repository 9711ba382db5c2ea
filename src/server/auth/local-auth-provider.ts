// Local credentials provider: scrypt hashes in auth.users.encrypted_password and HS256 JWTs with
// the claims Supabase Auth puts in its access tokens.
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { conflict, unauthenticated } from '@/core/errors/app-error'
import type { Db } from '@/server/db/create-db'
import type { AuthProvider, AuthSession } from './auth-provider'
import { hashPassword, verifyPassword } from './password-hash'

interface UserRow {
  id: string
  email: string
  encrypted_password: string | null
  raw_app_meta_data: Record<string, unknown>
  raw_user_meta_data: Record<string, unknown>
}

export function createLocalAuthProvider(deps: { db: Db; secret: string; issuer: string; ttlSeconds: number }): AuthProvider {
  const key = new TextEncoder().encode(deps.secret)

  async function issue(user: UserRow): Promise<AuthSession> {
    const now = Math.floor(Date.now() / 1000)
    const expiresAt = now + deps.ttlSeconds
    const accessToken = await new SignJWT({
      email: user.email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: randomUUID(),
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
    return { accessToken, expiresAt }
  }

  return {
    async signUp({ email, password, fullName }) {
      const encrypted = await hashPassword(password)
      const [user] = await deps.db.withService(
        (tx) => tx<UserRow[]>`
          insert into auth.users (email, encrypted_password, raw_user_meta_data)
          values (${email}, ${encrypted}, ${tx.json({ full_name: fullName })})
          on conflict (email) do nothing
          returning id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data`,
      )
      if (!user) throw conflict('An account with this email already exists')
      return issue(user)
    },

    async signIn(email, password) {
      const [user] = await deps.db.withService(
        (tx) => tx<UserRow[]>`
          select id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data
          from auth.users where lower(email) = ${email}`,
      )
      if (!(await verifyPassword(password, user?.encrypted_password ?? null)) || !user)
        throw unauthenticated('Wrong email or password')
      await deps.db.withService((tx) => tx`update auth.users set last_sign_in_at = now() where id = ${user.id}`)
      return issue(user)
    },

    // Local sessions are a single long-lived access token; there is nothing to refresh.
    async refresh() {
      return null
    },
  }
}
