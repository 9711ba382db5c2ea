// The SignInThrottle port: failed sign-ins counted per account+IP and per IP, each a budget that
// refills every window, and a lock-out that doubles each time a budget runs out again within a day.
//
// An attempt is counted *before* the password is checked (`reserve`) and given back only when it
// proved right (`succeeded`), so guesses sent in parallel cannot all pass while the first are still
// being checked. Keys are derived from the email, never from whether an account exists, so an
// unknown address gets exactly the answers a known one does.
import { createHash } from 'node:crypto'
import ipaddr from 'ipaddr.js'

export interface Budget {
  /** Failures allowed per window; the next attempt is refused and starts a lock-out. */
  failures: number
  windowMs: number
}

export interface SignInThrottlePolicy {
  /** Per email and client address: what stops guessing one account's password. */
  perAccount: Budget
  /** Per client address, across accounts: what stops trying one password on many accounts. */
  perIp: Budget
  /** A lock-out lasts the budget's window, doubled for each earlier lock-out still remembered, up to this. */
  maxLockoutMs: number
  /** How long after a lock-out ends it still counts towards doubling the next one. */
  strikeMemoryMs: number
}

/** Opaque store keys of one attempt: `ip` is absent when the client address is unknown. */
export interface SignInKeys {
  account: string
  ip?: string
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number }

export interface SignInThrottle {
  /** Counts one failure against both budgets before the password is checked; refused (consuming nothing) while locked out or when a budget is spent. */
  reserve(keys: SignInKeys): Promise<ThrottleDecision>
  /** The reserved attempt proved the password: gives the reservation back and forgets the account's lock-outs. */
  succeeded(keys: SignInKeys): Promise<void>
}

// An IPv6 client usually holds a whole /64: counting single addresses would let it rotate freely.
function addressScope(ip: string | undefined): string | undefined {
  if (!ip || !ipaddr.isValid(ip)) return undefined
  const parsed = ipaddr.process(ip)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`
}

/** The keys an attempt is counted under: the email is hashed so the store holds no addresses of people. */
export function signInKeys(email: string, ip: string | undefined): SignInKeys {
  const scope = addressScope(ip)
  const account = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')
  return { account: `${account}@${scope ?? 'unknown'}`, ...(scope ? { ip: scope } : {}) }
}

/** "12 minutes", "45 seconds", "2 hours": the wait a refused person is told, rounded up. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (seconds < 60) return unit(seconds, 'second')
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 120) return unit(minutes, 'minute')
  return unit(Math.ceil(minutes / 60), 'hour')
}
