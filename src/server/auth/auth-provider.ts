// The AuthProvider port: how people sign up and sign in. Both adapters return Supabase-shaped sessions,
// so everything downstream (verification, RLS claims) is identical.
export interface AuthSession {
  accessToken: string
  refreshToken?: string
  expiresAt: number // seconds since epoch
}

export interface NewUser {
  email: string
  password: string
  fullName: string
}

export interface AuthProvider {
  /** Creates the account and signs it in; throws AppError conflict when the email is taken. */
  signUp(user: NewUser): Promise<AuthSession>
  /** Throws AppError unauthenticated on a wrong email or password, without saying which. */
  signIn(email: string, password: string): Promise<AuthSession>
  /** Exchanges a refresh token for a new session, or null when it is no longer valid. */
  refresh(refreshToken: string): Promise<AuthSession | null>
}
