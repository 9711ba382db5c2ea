// Redis replies (as the Redis client hands them over: bytes as Buffers, integers as decimal strings,
// nil as null, nested arrays) to the JSON Upstash answers with, and the JSON text itself.
//
// With `Upstash-Encoding: base64` every string is base64 of its raw bytes, except a top-level "OK"
// (the status reply of SET, MSET …). Inside arrays "OK" is encoded like any other string, because
// `@upstash/redis` decodes array elements without that exception. Without the header strings are
// UTF-8, invalid sequences replaced with U+FFFD.

// Integers keep Redis's digits: a JS number would round values above 2^53 before they reach the client.
export class RedisInteger {
  constructor(readonly digits: string) {}
}

export type ReplyJson = null | string | RedisInteger | ReplyJson[]

const OK = Buffer.from('OK')

export function encodeResult(reply: unknown, base64: boolean): ReplyJson {
  if (base64 && Buffer.isBuffer(reply) && reply.equals(OK)) return 'OK'
  return encodeValue(reply, base64)
}

function encodeValue(reply: unknown, base64: boolean): ReplyJson {
  if (reply === null || reply === undefined) return null
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8')
  if (typeof reply === 'string') return new RedisInteger(reply)
  if (typeof reply === 'number' || typeof reply === 'bigint') return new RedisInteger(String(reply))
  if (Array.isArray(reply)) return reply.map((item) => encodeValue(item, base64))
  // A script can nest an error reply inside an array; there is no JSON form for it but its text.
  if (reply instanceof Error) return base64 ? Buffer.from(reply.message).toString('base64') : reply.message
  return encodeValue(Buffer.from(String(reply)), base64)
}

// JSON.stringify, except that RedisInteger is written as a bare number with its exact digits.
export function toJsonText(value: unknown): string {
  if (value instanceof RedisInteger) return value.digits
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined)
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${toJsonText(field)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
