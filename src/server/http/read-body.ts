// Reads a request body with a hard size cap, so oversized or malformed input is a clean 4xx.
import { AppError } from '@/core/errors/app-error'

export const DEFAULT_MAX_BODY_BYTES = 1_000_000

/** The exact bytes sent (signatures are computed over them), or 413 past `maxBytes`. */
export async function readRawBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > maxBytes) throw tooLarge(maxBytes)
  if (!req.body) return Buffer.alloc(0)
  // Count bytes as they stream in: content-length can be absent or wrong.
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8')
  if (!text.trim()) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON')
  }
}

export async function readJsonBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  if (Number(req.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge(maxBytes)
  const type = req.headers.get('content-type') ?? ''
  if (req.body && !type.toLowerCase().startsWith('application/json'))
    throw new AppError('unsupported_media_type', 'Send the body as application/json')
  return parseJson(await readRawBody(req, maxBytes))
}

const tooLarge = (max: number) => new AppError('payload_too_large', `The body exceeds ${max} bytes`)
