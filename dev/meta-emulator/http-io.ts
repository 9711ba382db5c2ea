// The few pieces of HTTP plumbing every route needs: a reply value, body reading with a size cap,
// the bearer token and writing the reply. Routes return a Reply instead of touching the response.
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Reply {
  status: number
  json?: unknown
  bytes?: Buffer
  headers?: Record<string, string>
}

export const json = (status: number, body: unknown): Reply => ({ status, json: body })

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`)
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new BodyTooLarge(limit))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

// Undefined for an empty or unparseable body: Graph then reports the first missing parameter.
export function parseJson(body: Buffer): unknown {
  if (!body.length) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

// Graph accepts the token as a bearer header or an access_token query parameter.
export function bearerToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null
  return match?.[1] ?? url.searchParams.get('access_token') ?? undefined
}

export function writeReply(res: ServerResponse, reply: Reply) {
  if (reply.bytes) {
    res.writeHead(reply.status, { 'content-length': String(reply.bytes.length), ...reply.headers })
    res.end(reply.bytes)
    return
  }
  const text = reply.json === undefined ? '' : JSON.stringify(reply.json)
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', ...reply.headers })
  res.end(text)
}
