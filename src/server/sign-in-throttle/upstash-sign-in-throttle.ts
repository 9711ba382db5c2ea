// The SignInThrottle port on Upstash Redis. Each budget is an @upstash/ratelimit token bucket that
// refills whole once per window; beside it each key has a lock (a key that expires when the lock-out
// ends) and a strikes counter, both set by one script when the budget runs out. Reserving takes from
// both budgets at once and gives back what one took when the other refused.
import { Ratelimit } from '@upstash/ratelimit'
import type { Redis } from '@upstash/redis'
import type { Budget, SignInKeys, SignInThrottle, SignInThrottlePolicy, ThrottleDecision } from '@/core/auth/sign-in-throttle'
import { loadScript, numberReply } from '@/server/sending/upstash/redis-script'

// KEYS: the lock, the strikes counter. ARGV: the budget's window, the longest lock-out, how long a
// lock-out is remembered after it ends (all ms). Answers the ms left of the running lock-out, or starts
// one of window × 2^(earlier strikes) so that concurrent refusals count as one strike.
const LOCK_OUT = `
local rest = redis.call('PTTL', KEYS[1])
if rest > 0 then return rest end
local strikes = redis.call('INCR', KEYS[2])
local lock = math.floor(math.min(tonumber(ARGV[1]) * 2 ^ (strikes - 1), tonumber(ARGV[2])))
redis.call('SET', KEYS[1], strikes, 'PX', lock)
redis.call('PEXPIRE', KEYS[2], lock + tonumber(ARGV[3]))
return lock
`

interface Scope {
  name: 'account' | 'ip'
  budget: Budget
  limiter: Ratelimit
}

export function createUpstashSignInThrottle(redis: Redis, policy: SignInThrottlePolicy, prefix = 'conversa:signin'): SignInThrottle {
  const scope = (name: Scope['name'], budget: Budget): Scope => ({
    name,
    budget,
    limiter: new Ratelimit({
      redis,
      // The whole budget returns once per window, as in the Postgres adapter.
      limiter: Ratelimit.tokenBucket(budget.failures, `${budget.windowMs} ms`, budget.failures),
      prefix: `${prefix}:${name}`,
      // No process-local cache of refused ids (it would outlive a refund made by another instance), and
      // no timeout: the library answers "allowed" when Redis is slower than it, which must not happen here.
      ephemeralCache: false,
      timeout: 0,
      analytics: false,
    }),
  })
  const account = scope('account', policy.perAccount)
  const ip = scope('ip', policy.perIp)
  const lockOut = loadScript(redis, LOCK_OUT)
  const lockKey = (s: Scope, id: string) => `${prefix}:lock:${s.name}:${id}`
  const strikesKey = (s: Scope, id: string) => `${prefix}:strikes:${s.name}:${id}`
  const budgetsOf = (keys: SignInKeys): [Scope, string][] => (keys.ip ? [[account, keys.account], [ip, keys.ip]] : [[account, keys.account]])
  // A negative rate returns a token. (Should the bucket have refilled in between, the library lets it
  // hold one over the limit until its next refill: at most one extra failure, after a success.)
  const giveBack = (s: Scope, id: string) => s.limiter.limit(id, { rate: -1 })

  return {
    async reserve(keys): Promise<ThrottleDecision> {
      const budgets = budgetsOf(keys)
      // Issued together, so the client sends them in one pipelined request.
      const locked = Math.max(0, ...(await Promise.all(budgets.map(([s, id]) => redis.pttl(lockKey(s, id))))))
      if (locked > 0) return { allowed: false, retryAfterMs: locked }
      const taken = await Promise.all(budgets.map(([s, id]) => s.limiter.limit(id)))
      if (taken.every((r) => r.success)) return { allowed: true }
      const waits = await Promise.all(
        budgets.map(([s, id], i) =>
          taken[i]!.success
            ? giveBack(s, id).then(() => 0)
            : lockOut([lockKey(s, id), strikesKey(s, id)], [s.budget.windowMs, policy.maxLockoutMs, policy.strikeMemoryMs]).then(numberReply),
        ),
      )
      return { allowed: false, retryAfterMs: Math.max(...waits) }
    },

    async succeeded(keys) {
      await Promise.all([...budgetsOf(keys).map(([s, id]) => giveBack(s, id)), redis.del(strikesKey(account, keys.account))])
    },
  }
}
