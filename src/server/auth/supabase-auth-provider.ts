// Production provider: Supabase Auth through @supabase/supabase-js (email + password).
import { createClient } from '@supabase/supabase-js'
import { AppError, conflict, unauthenticated } from '@/core/errors/app-error'
import type { AuthProvider, AuthSession } from './auth-provider'

export function createSupabaseAuthProvider(url: string, anonKey: string): AuthProvider {
  // Server-side client: no storage, no auto refresh; the session lives in our httpOnly cookies.
  const client = () => createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } })

  const toSession = (s: { access_token: string; refresh_token: string; expires_at?: number; expires_in: number }): AuthSession => ({
    accessToken: s.access_token,
    refreshToken: s.refresh_token,
    expiresAt: s.expires_at ?? Math.floor(Date.now() / 1000) + s.expires_in,
  })

  return {
    async signUp({ email, password, fullName }) {
      const { data, error } = await client().auth.signUp({ email, password, options: { data: { full_name: fullName } } })
      if (error?.code === 'user_already_exists' || error?.status === 422) throw conflict('An account with this email already exists')
      if (error) throw new AppError('bad_request', error.message)
      // With email confirmation on, Supabase returns no session until the link is clicked.
      if (!data.session) throw new AppError('bad_request', 'Check your inbox to confirm your email, then sign in')
      return toSession(data.session)
    },
    async signIn(email, password) {
      const { data, error } = await client().auth.signInWithPassword({ email, password })
      if (error || !data.session) throw unauthenticated('Wrong email or password')
      return toSession(data.session)
    },
    async refresh(refreshToken) {
      const { data, error } = await client().auth.refreshSession({ refresh_token: refreshToken })
      return error || !data.session ? null : toSession(data.session)
    },
  }
}
