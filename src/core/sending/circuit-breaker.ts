// The CircuitBreaker port: per number, shared by all workers. Consecutive systemic failures (5xx,
// timeouts, auth) open it; after `openMs` exactly one caller gets a half-open probe; its success closes
// the breaker, its failure opens it again.
export type BreakerPhase = 'closed' | 'open' | 'half_open'

export interface BreakerState {
  phase: BreakerPhase
  failures: number
  /** Epoch ms when an open breaker lets a probe through; null unless open. */
  retryAt: number | null
}

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  threshold: number
  openMs: number
}

export type BreakerDecision = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number }

export interface CircuitBreaker {
  acquire(key: string, policy: BreakerPolicy): Promise<BreakerDecision>
  success(key: string): Promise<void>
  failure(key: string, policy: BreakerPolicy): Promise<BreakerState>
  states(keys: string[]): Promise<Record<string, BreakerState>>
}
