// The AuthProvider port: how people sign up, sign in and out, and which sessions are still live.
// Both adapters return Supabase-shaped sessions, so everything downstream (verification, RLS claims)
// is identical.
import type { JwtClaims } from '@/core/auth/claims'

export interface AuthSession {
  accessToken: string
  /** Absent when a refresh answered without rotating (a duplicate within the grace period). */
  refreshToken?: string
  expiresAt: number // seconds since epoch
}

export interface NewUser {
  email: string
  password: string
  fullName: string
}

/** Sign-up accepted, but nobody can sign in until the link emailed to the address is followed. */
export interface ConfirmationPending {
  confirmationPending: true
}

/** Where a session was started or last used, shown to its owner in Settings → Security. */
export interface Device {
  userAgent?: string
  ip?: string
}

export interface SessionSummary {
  id: string
  userAgent: string | null
  ip: string | null
  createdAt: string
  lastUsedAt: string
  current: boolean
}

/** What a browser presents: the access token (verified into claims when still valid) and the refresh token. */
export interface SignedInCaller {
  accessToken?: string
  claims?: JwtClaims
  refreshToken?: string
}

export interface AuthProvider {
  /**
   * Creates the account and signs it in. Where the address must be confirmed first (Supabase with email
   * confirmation), answers `{ confirmationPending: true }` alike for a new address and for one that
   * already has an account, so sign-up does not reveal which addresses do; the local provider, which
   * sends no email, throws AppError conflict when the email is taken.
   */
  signUp(user: NewUser, device: Device): Promise<AuthSession | ConfirmationPending>
  /** Throws AppError unauthenticated on a wrong email or password, without saying which. */
  signIn(email: string, password: string, device: Device): Promise<AuthSession>
  /** Exchanges a refresh token for a new session, or null when it is no longer valid. */
  refresh(refreshToken: string, device: Device): Promise<AuthSession | null>
  /** Whether the session a verified access token belongs to has not been ended since it was issued. */
  isLive(claims: JwtClaims): Promise<boolean>
  /** Ends the caller's session (`current`) or every session of theirs (`all`); the access token may have expired. */
  signOut(caller: SignedInCaller, scope: 'current' | 'all'): Promise<void>
  /** Checks the current password, sets the new one, ends every session and starts a fresh one for this device. */
  changePassword(caller: { claims: JwtClaims; refreshToken?: string }, current: string, next: string, device: Device): Promise<AuthSession>
  /** The caller's live sessions, most recently used first. */
  listSessions(claims: JwtClaims): Promise<SessionSummary[]>
  /** Ends one of the caller's own sessions; false when there is no such live session. */
  revokeSession(claims: JwtClaims, sessionId: string): Promise<boolean>
}
