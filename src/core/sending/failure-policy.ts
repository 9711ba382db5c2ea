// What the send engine does with a failed attempt, from Meta's classified error alone (no I/O here).
// - throttled: the limit is ours to respect — slow the number (130429) or delay only that customer (131056);
//   never a breaker failure, since the number itself is healthy.
// - transient (5xx, timeouts, 131000, 131057 …) and auth: systemic, so they count toward the number's
//   breaker; retried with exponential backoff and decorrelated jitter until attempts run out → DLQ.
// - permanent and policy: final for this message; retrying cannot help (policy codes are acted on by
//   campaigns and contacts, not by resending).
import type { GraphErrorInfo } from '@/core/whatsapp/graph-errors'

export interface RetryPolicy {
  baseMs: number
  capMs: number
  maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, capMs: 5 * 60_000, maxAttempts: 8 }

export type FailureAction =
  | { action: 'retry'; delayMs: number; breakerFailure: boolean; slowNumber: boolean }
  | { action: 'dead'; reason: string; breakerFailure: boolean }
  | { action: 'fail' }

/**
 * Backoff for the `attempt`-th failure (1-based): uniform between the base and three times the
 * previous ceiling, capped — the "decorrelated jitter" shape, which spreads retries of many jobs that
 * failed together instead of letting them return in lockstep.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 3 ** Math.max(0, attempt - 1))
  return Math.round(policy.baseMs + random() * Math.max(0, ceiling - policy.baseMs))
}

export function decideOnFailure(error: GraphErrorInfo, attempts: number, policy: RetryPolicy, random: () => number = Math.random): FailureAction {
  if (error.kind === 'permanent' || error.kind === 'policy') return { action: 'fail' }
  const systemic = error.kind === 'transient' || error.kind === 'auth'
  if (attempts >= policy.maxAttempts)
    return { action: 'dead', reason: `gave up after ${attempts} attempts: ${error.code ?? ''} ${error.title}`.replace('  ', ' '), breakerFailure: systemic }
  const floor = error.retryAfterMs ?? 0
  // A pair-rate hit waits for that customer only: Meta's 6 s, growing ×4 on repeats (4^n s).
  const pairDelay = error.scope === 'recipient' && error.kind === 'throttled' ? Math.min(policy.capMs, floor * 4 ** Math.max(0, attempts - 1)) : 0
  return {
    action: 'retry',
    delayMs: Math.max(floor, pairDelay, error.kind === 'throttled' ? 0 : backoffMs(attempts, policy, random)),
    breakerFailure: systemic,
    slowNumber: error.kind === 'throttled' && error.scope === 'number',
  }
}
