// Running the adapters' Lua scripts through `@upstash/redis`, and reading their replies back safely.
//
// The client JSON-parses every string it receives (a member "123" would come back as the number 123,
// a payload '"x"' as x). So scripts never answer with bare strings that matter: structured replies
// are one JSON document written by the script (cjson), whose strings stay strings however the client
// is configured, and plain replies are Redis integers or numeric strings.
import type { Redis } from '@upstash/redis'

export type RunScript = (keys: string[], args: (string | number)[]) => Promise<unknown>

// EVALSHA first; on NOSCRIPT the client falls back to EVAL, which also caches the script in Redis.
// Arguments are sent as strings we format, not JSON numbers the REST layer would format for us.
export function loadScript(redis: Redis, source: string): RunScript {
  const script = redis.createScript<unknown>(source)
  return (keys, args) => script.exec(keys, args.map(String))
}

// A JSON document written by a script: already parsed by the client's automatic deserialization, or
// still text when that is switched off.
export function jsonReply<T>(reply: unknown): T {
  return (typeof reply === 'string' ? JSON.parse(reply) : reply) as T
}

// An integer reply, or a number a script returned as text (a Lua number reply loses its fraction).
export function numberReply(reply: unknown): number {
  const value = typeof reply === 'number' ? reply : Number(reply)
  if (!Number.isFinite(value)) throw new Error(`expected a number from Redis, got ${JSON.stringify(reply)}`)
  return value
}
