// The Lua scripts behind the Upstash adapters. Each atomic operation is one script, so concurrent
// workers never see half an update. Scripts take "now" from Redis (TIME), so workers on machines
// with different clocks agree; times given to and returned by callers are epoch ms. Every key a
// script touches is passed in KEYS. Structured replies are JSON documents (see redis-script.ts).

// Shared by every script.
const PRELUDE = `
-- Redis's clock in epoch ms, with the microseconds as a fraction.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end

-- Numbers written to Redis: fixed-point, never exponent notation, so ZADD/HSET read them exactly.
local function num(x)
  return string.format('%.3f', x)
end
local function int(x)
  return string.format('%.0f', math.floor(x))
end

-- cjson writes an empty table as {}; a list reply must be [].
local function json_list(t)
  if #t == 0 then return '[]' end
  return cjson.encode(t)
end
`

const script = (body: string) => `${PRELUDE}\n${body.trim()}\n`

// ---------------------------------------------------------------------------------------------------
// Job queue. Every key of one queue is passed to every queue script, in the order of QUEUE_KEY_NAMES.
// A job lives in exactly one of ready, processing or dead; its attributes live in hashes keyed by id.
// ---------------------------------------------------------------------------------------------------

export const QUEUE_KEY_NAMES = ['ready', 'processing', 'dead', 'payload', 'attempts', 'enqueued', 'lease', 'reason', 'failed', 'claimed'] as const

const QUEUE_PRELUDE = `
local ready      = KEYS[1] -- ZSET id -> runAt: pending when the score is <= now, delayed when later
local processing = KEYS[2] -- ZSET id -> visible-until of the current claim
local dead       = KEYS[3] -- ZSET id -> failedAt
local payloads   = KEYS[4] -- HASH id -> payload JSON as the caller wrote it; holds every id the
                           --           queue still has, in any state, so it is the id registry
local attempts   = KEYS[5] -- HASH id -> claims so far minus releases
local enqueued   = KEYS[6] -- HASH id -> enqueuedAt
local leases     = KEYS[7] -- HASH id -> lease of the current claim (only while processing)
local reasons    = KEYS[8] -- HASH id -> reason of the last retry or dead-letter
local failed     = KEYS[9] -- HASH id -> failedAt (only while dead)
local claimed    = KEYS[10] -- HASH id -> when the current claim began; a claim that ends cleanly
                            --           drops it, a lost one (visibility ran out) leaves it for the next

-- True when lease is the job's current claim. A lease exists only while the job is processing, and
-- every claim writes a new one, so a worker whose job was reclaimed no longer holds it.
local function holds(id, lease)
  return redis.call('HGET', leases, id) == lease
end

-- Ends the current claim and puts the job back in ready, to run at score.
local function to_ready(id, score)
  redis.call('ZREM', processing, id)
  redis.call('HDEL', leases, id)
  redis.call('ZADD', ready, score, id)
end

-- Claims whose visibility passed belong to workers that died or stalled: back to ready, placed at
-- the moment they expired, still holding when that claim began. Answers how many.
local function reclaim_expired(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', processing, '-inf', num(now), 'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #expired, 2 do
    to_ready(expired[i], expired[i + 1])
  end
  return #expired / 2
end

-- Removes every trace of the job, which frees its id.
local function forget(id)
  redis.call('ZREM', ready, id)
  redis.call('ZREM', processing, id)
  redis.call('ZREM', dead, id)
  for _, hash in ipairs({ payloads, attempts, enqueued, leases, reasons, failed, claimed }) do
    redis.call('HDEL', hash, id)
  end
end
`

const queueScript = (body: string) => script(`${QUEUE_PRELUDE}\n${body}`)

/** ARGV: (id, runAt or '' for now, payload JSON) per job. Answers how many were new. */
export const ENQUEUE = queueScript(`
local now = now_ms()
local added = 0
for i = 1, #ARGV, 3 do
  local id, run_at, payload = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  -- An id the queue still holds (pending, delayed, processing or dead) is not added again.
  if redis.call('HSETNX', payloads, id, payload) == 1 then
    redis.call('HSET', attempts, id, 0)
    redis.call('HSET', enqueued, id, int(now))
    redis.call('ZADD', ready, run_at == '' and num(now) or run_at, id)
    added = added + 1
  end
end
return added
`)

/**
 * ARGV: max, visibilityMs, lease prefix (unique per call), reclaim limit.
 * Answers a JSON list of { id, lease, payload (JSON text), attempts, enqueuedAt, lostClaimAt? }, oldest runAt first.
 */
export const CLAIM = queueScript(`
local now = now_ms()
local max, visibility, lease_prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- A dead worker's jobs come back with the next claim, even if nobody runs recoverStuck.
reclaim_expired(now, tonumber(ARGV[4]))

local visible_until = num(now + visibility)
local jobs = {}
for i, id in ipairs(redis.call('ZRANGEBYSCORE', ready, '-inf', num(now), 'LIMIT', 0, max)) do
  redis.call('ZREM', ready, id)
  local payload = redis.call('HGET', payloads, id)
  if payload then
    local lease = lease_prefix .. '.' .. i
    local lost = redis.call('HGET', claimed, id)
    redis.call('ZADD', processing, visible_until, id)
    redis.call('HSET', leases, id, lease)
    redis.call('HSET', claimed, id, int(now))
    jobs[#jobs + 1] = {
      id = id,
      lease = lease,
      payload = payload,
      attempts = redis.call('HINCRBY', attempts, id, 1),
      enqueuedAt = tonumber(redis.call('HGET', enqueued, id)),
      lostClaimAt = lost and tonumber(lost) or nil,
    }
  end
end
return json_list(jobs)
`)

/** ARGV: id, lease. Done: the job and its id are gone. 1, or 0 when the lease was lost. */
export const ACK = queueScript(`
local id, lease = ARGV[1], ARGV[2]
if not holds(id, lease) then return 0 end
forget(id)
return 1
`)

/** ARGV: id, lease, at, reason. The attempt counts (the claim already counted it). */
export const RETRY = queueScript(`
local id, lease, at, reason = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not holds(id, lease) then return 0 end
to_ready(id, at)
redis.call('HDEL', claimed, id)
redis.call('HSET', reasons, id, reason)
return 1
`)

/** ARGV: id, lease, at. Not tried: the claim's attempt is given back. */
export const RELEASE = queueScript(`
local id, lease, at = ARGV[1], ARGV[2], ARGV[3]
if not holds(id, lease) then return 0 end
to_ready(id, at)
redis.call('HDEL', claimed, id)
redis.call('HINCRBY', attempts, id, -1)
return 1
`)

/** ARGV: id, lease, reason. */
export const DEAD_LETTER = queueScript(`
local now = now_ms()
local id, lease, reason = ARGV[1], ARGV[2], ARGV[3]
if not holds(id, lease) then return 0 end
redis.call('ZREM', processing, id)
redis.call('HDEL', leases, id)
redis.call('HDEL', claimed, id)
redis.call('HSET', reasons, id, reason)
redis.call('HSET', failed, id, int(now))
redis.call('ZADD', dead, num(now), id)
return 1
`)

/** Answers JSON { pending, delayed, processing, dead }. */
export const STATS = queueScript(`
local now = num(now_ms())
return cjson.encode({
  pending = redis.call('ZCOUNT', ready, '-inf', now),
  delayed = redis.call('ZCOUNT', ready, '(' .. now, '+inf'),
  processing = redis.call('ZCARD', processing),
  dead = redis.call('ZCARD', dead),
})
`)

/** ARGV: limit. Answers a JSON list of { id, payload (JSON text), attempts, reason, failedAt }, newest first. */
export const LIST_DEAD = queueScript(`
local jobs = {}
for _, id in ipairs(redis.call('ZREVRANGE', dead, 0, tonumber(ARGV[1]) - 1)) do
  jobs[#jobs + 1] = {
    id = id,
    payload = redis.call('HGET', payloads, id),
    attempts = tonumber(redis.call('HGET', attempts, id)) or 0,
    reason = redis.call('HGET', reasons, id) or '',
    failedAt = tonumber(redis.call('HGET', failed, id)) or 0,
  }
end
return json_list(jobs)
`)

/** ARGV: 'one', id | 'all', limit. Dead jobs back to pending with attempts reset; answers how many. */
export const RETRY_DEAD = queueScript(`
local now = num(now_ms())
local ids
if ARGV[1] == 'one' then
  ids = redis.call('ZSCORE', dead, ARGV[2]) and { ARGV[2] } or {}
else
  ids = redis.call('ZRANGE', dead, 0, tonumber(ARGV[2]) - 1)
end
for _, id in ipairs(ids) do
  redis.call('ZREM', dead, id)
  redis.call('HDEL', failed, id)
  redis.call('HDEL', reasons, id)
  redis.call('HSET', attempts, id, 0)
  redis.call('ZADD', ready, now, id)
end
return #ids
`)

/** ARGV: limit. Expired claims back to pending; answers how many. */
export const RECOVER_STUCK = queueScript(`
return reclaim_expired(now_ms(), tonumber(ARGV[1]))
`)

/** ARGV: limit. Deletes up to limit dead jobs; answers how many. */
export const CLEAR_DEAD = queueScript(`
local ids = redis.call('ZRANGE', dead, 0, tonumber(ARGV[1]) - 1)
for _, id in ipairs(ids) do
  forget(id)
end
return #ids
`)

/** Deletes every job of the queue; answers how many. UNLINK frees large keys off the main thread. */
export const CLEAR_ALL = queueScript(`
local count = redis.call('HLEN', payloads)
redis.call('UNLINK', unpack(KEYS))
return count
`)

// ---------------------------------------------------------------------------------------------------
// Pacer. Keys expire once they hold nothing that an absent key would not mean anyway.
// ---------------------------------------------------------------------------------------------------

const RATE_PRELUDE = `
-- KEYS[1]: HASH tat (the next free slot), and after a slow-down: factor (as cut), since (when),
-- recovery (ms to climb back to 1).
local MIN_FACTOR = 0.05
local IDLE_MS = 60000

-- The rate factor at now: it climbs linearly from the cut factor back to 1 over the recovery time.
local function factor_at(state, now)
  local factor, since, recovery = tonumber(state[2]), tonumber(state[3]), tonumber(state[4])
  if not factor or not since or not recovery or recovery <= 0 then return 1 end
  local elapsed = now - since
  if elapsed >= recovery then return 1 end
  if elapsed <= 0 then return factor end
  return factor + (1 - factor) * elapsed / recovery
end

-- When the factor is back to 1 (0 when it was never cut).
local function recovered_at(state)
  return (tonumber(state[3]) or 0) + (tonumber(state[4]) or 0)
end

-- The key matters while slots are booked ahead or the factor is recovering; a while later it goes.
local function expire_when_idle(key, tat, recovered, now)
  local busy_until = math.max(tat or 0, recovered)
  redis.call('PEXPIRE', key, math.ceil(math.max(busy_until - now, 0)) + IDLE_MS)
end

local function load_state(key)
  return redis.call('HMGET', key, 'tat', 'factor', 'since', 'recovery')
end
`

const rateScript = (body: string) => script(`${RATE_PRELUDE}\n${body}`)

/**
 * ARGV: perSecond, count. GCRA: slots are 1000 / (perSecond x factor) ms apart; the first free slot is
 * never earlier than now, so idle time is not banked as a burst. Answers ms until the first slot.
 */
export const RESERVE = rateScript(`
local now = now_ms()
local per_second, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = load_state(KEYS[1])
local interval = 1000 / (per_second * factor_at(state, now))
local first = math.max(tonumber(state[1]) or 0, now)
local tat = first + count * interval
redis.call('HSET', KEYS[1], 'tat', num(tat))
expire_when_idle(KEYS[1], tat, recovered_at(state), now)
return math.ceil(first - now)
`)

/** ARGV: by, recoveryMs. Answers the new factor as text (a Lua number reply would lose the fraction). */
export const SLOW_DOWN = rateScript(`
local now = now_ms()
local by, recovery = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = load_state(KEYS[1])
local factor = math.min(1, math.max(MIN_FACTOR, factor_at(state, now) * by))
redis.call('HSET', KEYS[1], 'factor', string.format('%.6f', factor), 'since', num(now), 'recovery', num(recovery))
expire_when_idle(KEYS[1], tonumber(state[1]), now + recovery, now)
return string.format('%.6f', factor)
`)

/** Answers JSON { factor, backlogMs }. */
export const RATE_STATE = rateScript(`
local now = now_ms()
local state = load_state(KEYS[1])
local backlog = math.max(0, math.ceil((tonumber(state[1]) or 0) - now))
return cjson.encode({ factor = factor_at(state, now), backlogMs = backlog })
`)

/**
 * Pair rate as a credit bucket. KEYS[1]: STRING tat. ARGV: intervalMs, burst.
 * One credit per interval, at most burst saved: an event fits while tat - now <= (burst - 1) x interval.
 * Answers 0 after taking one, else ms until one is there (taking nothing).
 */
export const TRY_TAKE = script(`
local now = now_ms()
local interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or 0, now)
local fits_at = tat - (burst - 1) * interval
if fits_at > now then return math.ceil(fits_at - now) end
tat = tat + interval
-- Once tat has passed the bucket is full, which is what a missing key means.
redis.call('SET', KEYS[1], num(tat), 'PX', math.ceil(tat - now) + 1000)
return 0
`)

/**
 * Unique members in a moving window. KEYS[1]: ZSET member -> when first counted. ARGV: member, limit,
 * windowMs. A member counts from its first admission until the window has passed it, and is free
 * meanwhile. Answers 0 when admitted, else ms until the oldest member leaves.
 */
export const ADMIT_UNIQUE = script(`
local now = now_ms()
local member, limit, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now - window))
if redis.call('ZSCORE', KEYS[1], member) then return 0 end
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], num(now), member)
  -- The newest member leaves last; the whole set is gone a window after it.
  redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if not oldest[2] then return math.ceil(window) end -- a limit of 0: nobody gets in
return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
`)

/** ARGV: windowMs. Members counted within the window now. */
export const UNIQUE_COUNT = script(`
return redis.call('ZCOUNT', KEYS[1], '(' .. num(now_ms() - tonumber(ARGV[1])), '+inf')
`)

// ---------------------------------------------------------------------------------------------------
// Circuit breaker. KEYS[1]: HASH phase ('open' | 'half_open'; absent while closed), failures,
// retry_at (open: when a probe may go), probe_until (half-open: when the probe is presumed lost).
// A missing key means closed with no failures.
// ---------------------------------------------------------------------------------------------------

const BREAKER_PRELUDE = `
-- A breaker nobody touched for a day forgets its state (and its count of failures).
local IDLE_MS = 86400000

local function keep(key, open_ms)
  redis.call('PEXPIRE', key, math.ceil(open_ms) + IDLE_MS)
end
`

const breakerScript = (body: string) => script(`${BREAKER_PRELUDE}\n${body}`)

/** ARGV: openMs. Answers JSON { allowed, probe } or { allowed: false, retryInMs }. */
export const BREAKER_ACQUIRE = breakerScript(`
local now = now_ms()
local open_ms = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'phase', 'retry_at', 'probe_until')
local phase, wait = state[1], 0
if phase == 'open' then
  wait = (tonumber(state[2]) or 0) - now
elseif phase == 'half_open' then
  wait = (tonumber(state[3]) or 0) - now
else
  return cjson.encode({ allowed = true, probe = false })
end
if wait > 0 then return cjson.encode({ allowed = false, retryInMs = math.ceil(wait) }) end
-- Open for long enough, or the last probe never reported back: this caller alone probes, and
-- everyone else waits until it reports or its deadline passes.
redis.call('HSET', KEYS[1], 'phase', 'half_open', 'probe_until', num(now + open_ms))
redis.call('HDEL', KEYS[1], 'retry_at')
keep(KEYS[1], open_ms)
return cjson.encode({ allowed = true, probe = true })
`)

/** ARGV: threshold, openMs. Answers JSON { phase, failures, retryAt? }. */
export const BREAKER_FAILURE = breakerScript(`
local now = now_ms()
local threshold, open_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local phase = redis.call('HGET', KEYS[1], 'phase')
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local retry_at = tonumber(redis.call('HGET', KEYS[1], 'retry_at'))
-- A failed probe reopens at once; a closed breaker opens at the threshold. Failures reported while
-- open (requests that started before it opened) count but do not push the probe back.
if phase == 'half_open' or (phase ~= 'open' and failures >= threshold) then
  phase = 'open'
  retry_at = math.ceil(now + open_ms)
  redis.call('HSET', KEYS[1], 'phase', 'open', 'retry_at', int(retry_at))
  redis.call('HDEL', KEYS[1], 'probe_until')
end
keep(KEYS[1], open_ms)
return cjson.encode({ phase = phase or 'closed', failures = failures, retryAt = phase == 'open' and retry_at or nil })
`)

/**
 * Closes the breaker and clears its failures, unless it is open: a success reported while open comes
 * from a request that started before it opened, and only the probe, once openMs has passed, may
 * close it. (A success while half-open closes it, whoever reports it: the number works again.)
 */
export const BREAKER_SUCCESS = script(`
if redis.call('HGET', KEYS[1], 'phase') == 'open' then return 0 end
return redis.call('DEL', KEYS[1])
`)

/** Answers JSON { phase, failures, retryAt? }. */
export const BREAKER_STATE = script(`
local state = redis.call('HMGET', KEYS[1], 'phase', 'failures', 'retry_at')
local phase = state[1] or 'closed'
return cjson.encode({
  phase = phase,
  failures = tonumber(state[2]) or 0,
  retryAt = phase == 'open' and tonumber(state[3]) or nil,
})
`)
