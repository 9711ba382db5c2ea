// Signing a delivery exactly as QStash does: an HS256 JWT over the destination URL and the body's SHA-256.
import { createHash, randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'

export async function qstashSignature(key: string, body: string, url: string) {
  return new SignJWT({ body: createHash('sha256').update(body).digest('base64url') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt()
    .setNotBefore(Math.floor(Date.now() / 1000))
    .setExpirationTime('5m')
    .setJti(`jwt_${randomBytes(8).toString('hex')}`)
    .sign(new TextEncoder().encode(key))
}
