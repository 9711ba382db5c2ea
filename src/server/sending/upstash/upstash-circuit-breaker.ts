// The CircuitBreaker port on Upstash Redis: one hash per number, changed only by Lua scripts timed by
// Redis's clock (scripts.ts). A success while closed or half-open deletes the hash, which reads as
// closed with no failures; one while open is a straggler and changes nothing.
import type { Redis } from '@upstash/redis'
import type { BreakerDecision, BreakerPhase, BreakerPolicy, BreakerState, CircuitBreaker } from '@/core/sending/circuit-breaker'
import { jsonReply, loadScript } from './redis-script'
import { BREAKER_ACQUIRE, BREAKER_FAILURE, BREAKER_STATE, BREAKER_SUCCESS } from './scripts'

interface StateReply {
  phase: BreakerPhase
  failures: number
  retryAt?: number | null
}

export function createUpstashCircuitBreaker(redis: Redis, prefix = 'conversa'): CircuitBreaker {
  const run = {
    acquire: loadScript(redis, BREAKER_ACQUIRE),
    success: loadScript(redis, BREAKER_SUCCESS),
    failure: loadScript(redis, BREAKER_FAILURE),
    state: loadScript(redis, BREAKER_STATE),
  }
  const breakerKey = (key: string) => `${prefix}:breaker:${key}`

  return {
    async acquire(key: string, policy: BreakerPolicy): Promise<BreakerDecision> {
      const decision = jsonReply<{ allowed: boolean; probe?: boolean; retryInMs?: number }>(
        await run.acquire([breakerKey(key)], [policy.openMs]),
      )
      return decision.allowed ? { allowed: true, probe: decision.probe === true } : { allowed: false, retryInMs: Number(decision.retryInMs) }
    },

    async success(key: string) {
      await run.success([breakerKey(key)], [])
    },

    async failure(key: string, policy: BreakerPolicy) {
      return toState(jsonReply<StateReply>(await run.failure([breakerKey(key)], [policy.threshold, policy.openMs])))
    },

    async states(keys: string[]) {
      // One script call per key, issued together: they travel in one pipelined request.
      const unique = [...new Set(keys)]
      const replies = await Promise.all(unique.map((key) => run.state([breakerKey(key)], [])))
      return Object.fromEntries(unique.map((key, i) => [key, toState(jsonReply<StateReply>(replies[i]))]))
    },
  }
}

function toState(reply: StateReply): BreakerState {
  return { phase: reply.phase, failures: Number(reply.failures), retryAt: typeof reply.retryAt === 'number' ? reply.retryAt : null }
}
