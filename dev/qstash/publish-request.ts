// Reads a publish (or schedule-create) request the way QStash does: the destination from the path,
// the `Upstash-*` control headers, and the headers to forward.
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { parseDurationMs } from './durations'
import type { MessageSpec } from './message-store'

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface PublishRequest {
  spec: MessageSpec
  delayMs?: number
  // Absolute (ms); when given it overrides the delay, as in QStash.
  notBefore?: number
  deduplicationKey?: string
}

const DEFAULT_RETRIES = 3
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
const FORWARD_PREFIX = 'upstash-forward-'

// `x-custom-thing` → `X-Custom-Thing`, the casing QStash reports headers in.
export const canonicalHeaderName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())

export function destinationUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new RequestError(400, `invalid destination url: ${raw} (url groups and APIs are not supported by this stand-in)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError(400, `invalid destination url: ${raw}`)
  return raw
}

const single = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function duration(headers: IncomingHttpHeaders, name: string): number | undefined {
  const value = single(headers, name)
  if (value === undefined) return undefined
  const ms = parseDurationMs(value)
  if (ms === undefined) throw new RequestError(400, `invalid ${canonicalHeaderName(name)} header: ${value}`)
  return ms
}

function callbackUrl(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = single(headers, name)
  return value === undefined ? undefined : destinationUrl(value)
}

export function parsePublish({ url, headers, body, callerIp }: { url: string; headers: IncomingHttpHeaders; body: Buffer; callerIp: string }): PublishRequest {
  const header: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const target = name === 'content-type' ? name : name.startsWith(FORWARD_PREFIX) ? name.slice(FORWARD_PREFIX.length) : undefined
    if (target) header[canonicalHeaderName(target)] = Array.isArray(value) ? value : [value]
  }

  const method = (single(headers, 'upstash-method') ?? 'POST').toUpperCase()
  if (!METHODS.has(method)) throw new RequestError(400, `invalid Upstash-Method header: ${method}`)

  const retriesText = single(headers, 'upstash-retries')
  const maxRetries = retriesText === undefined ? DEFAULT_RETRIES : Number(retriesText)
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RequestError(400, `invalid Upstash-Retries header: ${retriesText}`)

  const notBeforeText = single(headers, 'upstash-not-before')
  const notBeforeSeconds = notBeforeText === undefined ? undefined : Number(notBeforeText)
  if (notBeforeSeconds !== undefined && !Number.isInteger(notBeforeSeconds))
    throw new RequestError(400, `invalid Upstash-Not-Before header: ${notBeforeText}`)

  const spec: MessageSpec = {
    url: destinationUrl(url),
    method,
    header,
    body,
    maxRetries,
    retryDelayExpression: single(headers, 'upstash-retry-delay'),
    callback: callbackUrl(headers, 'upstash-callback'),
    failureCallback: callbackUrl(headers, 'upstash-failure-callback'),
    timeoutMs: duration(headers, 'upstash-timeout'),
    callerIp,
  }
  return {
    spec,
    delayMs: duration(headers, 'upstash-delay'),
    notBefore: notBeforeSeconds === undefined ? undefined : notBeforeSeconds * 1000,
    deduplicationKey: deduplicationKey(headers, spec),
  }
}

function deduplicationKey(headers: IncomingHttpHeaders, spec: MessageSpec): string | undefined {
  const id = single(headers, 'upstash-deduplication-id')
  if (id !== undefined) return `id:${id}`
  if (single(headers, 'upstash-content-based-deduplication') !== 'true') return undefined
  // Destination, body and the forwarded headers (Content-Type included), as QStash hashes them.
  const hash = createHash('sha256').update(spec.url).update('\0').update(spec.body).update('\0')
  for (const name of Object.keys(spec.header).sort()) hash.update(`${name}:${spec.header[name]?.join(',')}\n`)
  return `content:${hash.digest('hex')}`
}
