// Meta's X-Hub-Signature-256 check: HMAC-SHA256 of the exact raw request bytes with the app secret.
// Verify before parsing; pass the bytes as received (a re-serialised or re-decoded body will not match).
import { createHmac, timingSafeEqual } from 'node:crypto'

const PREFIX = 'sha256='
const HEX_DIGEST = /^[0-9a-f]{64}$/i

function digest(rawBody: string | Uint8Array, appSecret: string): Buffer {
  // Strings are hashed as UTF-8, which is what Meta signs; bytes are hashed untouched.
  return createHmac('sha256', appSecret).update(rawBody).digest()
}

/** `sha256=<lowercase hex>`, the value Meta puts in `X-Hub-Signature-256`. */
export function signWebhookBody(rawBody: string | Uint8Array, appSecret: string): string {
  if (!appSecret) throw new Error('an app secret is required to sign a webhook body')
  return PREFIX + digest(rawBody, appSecret).toString('hex')
}

/** True only for a well-formed `sha256=<64 hex>` header that matches the body; never throws. */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  appSecret: string,
): boolean {
  if (typeof appSecret !== 'string' || appSecret.length === 0) return false
  if (typeof header !== 'string') return false
  const value = header.trim()
  if (!value.startsWith(PREFIX)) return false
  const hex = value.slice(PREFIX.length)
  // Buffer.from(hex, 'hex') silently drops bad characters, so the shape is checked first.
  if (!HEX_DIGEST.test(hex)) return false
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) return false
  const expected = digest(rawBody, appSecret)
  const received = Buffer.from(hex, 'hex')
  // timingSafeEqual throws on unequal lengths; both are 32 bytes here, the guard keeps it that way.
  return received.length === expected.length && timingSafeEqual(received, expected)
}
