// The Pacer port on Upstash Redis: GCRA with a recovering rate factor per number, a credit bucket per
// pair, a moving-window set per portfolio. Each operation is one Lua script timed by Redis's clock.
import type { Redis } from '@upstash/redis'
import type { Pacer, RateState } from '@/core/sending/pacer'
import { jsonReply, loadScript, numberReply } from './redis-script'
import { ADMIT_UNIQUE, RATE_STATE, RESERVE, SLOW_DOWN, TRY_TAKE, UNIQUE_COUNT } from './scripts'

export function createUpstashPacer(redis: Redis, prefix = 'conversa'): Pacer {
  const run = {
    reserve: loadScript(redis, RESERVE),
    slowDown: loadScript(redis, SLOW_DOWN),
    rateState: loadScript(redis, RATE_STATE),
    tryTake: loadScript(redis, TRY_TAKE),
    admitUnique: loadScript(redis, ADMIT_UNIQUE),
    uniqueCount: loadScript(redis, UNIQUE_COUNT),
  }
  const rateKey = (key: string) => `${prefix}:pace:rate:${key}`
  const pairKey = (key: string) => `${prefix}:pace:pair:${key}`
  const uniqueKey = (key: string) => `${prefix}:pace:unique:${key}`

  return {
    async reserve(key, perSecond, count) {
      positive('perSecond', perSecond)
      if (!(count >= 0)) throw new RangeError(`count must not be negative, got ${count}`)
      return numberReply(await run.reserve([rateKey(key)], [perSecond, count]))
    },

    async slowDown(key, by, recoveryMs) {
      positive('by', by)
      if (!(recoveryMs >= 0)) throw new RangeError(`recoveryMs must not be negative, got ${recoveryMs}`)
      return numberReply(await run.slowDown([rateKey(key)], [by, recoveryMs]))
    },

    async rateStates(keys) {
      // One script call per key, issued together: they travel in one pipelined request.
      const unique = [...new Set(keys)]
      const states = await Promise.all(unique.map((key) => run.rateState([rateKey(key)], [])))
      return Object.fromEntries(
        unique.map((key, i) => {
          const state = jsonReply<RateState>(states[i])
          return [key, { factor: Number(state.factor), backlogMs: Number(state.backlogMs) }]
        }),
      )
    },

    async tryTake(key, intervalMs, burst) {
      positive('intervalMs', intervalMs)
      if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`)
      return numberReply(await run.tryTake([pairKey(key)], [intervalMs, burst]))
    },

    async tryTakeMany(keys, intervalMs, burst) {
      positive('intervalMs', intervalMs)
      if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`)
      // Issued in one tick, the calls travel as one pipelined request and run in order.
      return Promise.all(keys.map(async (key) => numberReply(await run.tryTake([pairKey(key)], [intervalMs, burst]))))
    },

    async admitUnique(key, member, limit, windowMs) {
      positive('windowMs', windowMs)
      return numberReply(await run.admitUnique([uniqueKey(key)], [member, limit, windowMs]))
    },

    async uniqueCount(key, windowMs) {
      positive('windowMs', windowMs)
      return numberReply(await run.uniqueCount([uniqueKey(key)], [windowMs]))
    },
  }
}

function positive(name: string, value: number) {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`)
}
