// The `Upstash-Signature` JWT exactly as QStash issues it: HS256 over the signing key's raw UTF-8
// bytes, `body` = base64url(SHA-256(raw body)), valid for five minutes from issue.
import { createHash, createHmac, randomBytes } from 'node:crypto'

const TOKEN_LIFETIME_SECONDS = 5 * 60

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

export function signDelivery({ key, url, body, nowMs }: { key: string; url: string; body: Buffer; nowMs: number }): string {
  const issuedAt = Math.floor(nowMs / 1000)
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const claims = base64url(
    JSON.stringify({
      iss: 'Upstash',
      sub: url,
      exp: issuedAt + TOKEN_LIFETIME_SECONDS,
      nbf: issuedAt,
      iat: issuedAt,
      jti: `jwt_${randomBytes(12).toString('hex')}`,
      body: createHash('sha256').update(body).digest('base64url'),
    }),
  )
  const signature = createHmac('sha256', Buffer.from(key, 'utf8')).update(`${header}.${claims}`).digest('base64url')
  return `${header}.${claims}.${signature}`
}
