// Reads a request body with a hard size cap, so oversized or malformed input is a clean 4xx.
import { AppError } from '@/core/errors/app-error'
import { findTooDeep } from '@/core/util/json-depth'

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

/** Meta's payloads nest under 15 levels; nothing a person or an integration sends needs more. */
export const MAX_JSON_DEPTH = 64

/**
 * Parses a JSON body, refusing nesting deeper than MAX_JSON_DEPTH before anything walks the value:
 * `tooDeep` says how (422 with the path for API input, 400 where a sender expects nothing finer).
 */
export function parseJson(raw: Buffer, tooDeep: 'validation_failed' | 'bad_request' = 'validation_failed'): unknown {
  const text = raw.toString('utf8')
  if (!text.trim()) return undefined
  const path = findTooDeep(text, MAX_JSON_DEPTH)
  if (path) {
    const where = path.join('.')
    const message = `The JSON nests deeper than ${MAX_JSON_DEPTH} levels${where ? ` at ${where}` : ''}`
    throw new AppError(tooDeep, message, tooDeep === 'validation_failed' ? [{ path: where, message: `nests deeper than ${MAX_JSON_DEPTH} levels` }] : undefined)
  }
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
