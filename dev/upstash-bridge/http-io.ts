// HTTP plumbing: reading a size-capped body, checking the bearer token, writing a JSON reply.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toJsonText } from './encode-reply'

export interface Reply {
  status: number
  body: unknown
}

export const reply = (status: number, body: unknown): Reply => ({ status, body })
export const errorReply = (status: number, message: string): Reply => ({ status, body: { error: message } })

// Undefined when the body is over the limit. The rest is still read (and dropped) rather than the
// socket destroyed, so the client gets the error reply instead of a reset connection.
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

// Upstash takes the token as `Authorization: Bearer …` or as the `_token` query parameter.
export function hasValidToken(req: IncomingMessage, url: URL, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')
  const given = match?.[1] ?? url.searchParams.get('_token')
  if (!given) return false
  // Digests have equal length, which timingSafeEqual needs, whatever the lengths of the tokens.
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(token))
}

export function writeReply(res: ServerResponse, { status, body }: Reply, headers: Record<string, string>) {
  const text = toJsonText(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}
