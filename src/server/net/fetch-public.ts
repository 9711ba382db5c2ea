// Fetching a URL a tenant gave us (outbound webhooks, media links): every hop, redirects included, goes
// through the outbound guard; redirects are followed by hand, at most five, all within one deadline.
import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import { OutboundRefusedError, checkUrlShape, type OutboundOptions } from './outbound-url-guard'
import { PublicHttpAgent, PublicHttpsAgent } from './public-agent'

export interface FetchPublicInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  /** The whole exchange, every hop and reading the body included (default 10 s). */
  timeoutMs?: number
  /** Redirects to follow (default 5, never more). */
  maxRedirects?: number
  signal?: AbortSignal
}

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const NO_BODY = new Set([204, 205, 304])
// Sent to the origin the caller meant, never to wherever that origin redirects.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']

interface Hop {
  method: string
  headers: Record<string, string>
  body: string | Uint8Array | undefined
  signal: AbortSignal
  agent: http.Agent
}

function send(url: URL, hop: Hop): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: hop.method, headers: hop.headers, agent: hop.agent, signal: hop.signal }, resolve)
    request.on('error', (error) => reject(hop.signal.aborted ? hop.signal.reason : error))
    request.end(hop.body)
  })
}

function toResponse(res: http.IncomingMessage, url: URL, method: string): Response {
  const headers = new Headers()
  for (const [name, value] of Object.entries(res.headers)) for (const one of [value ?? []].flat()) headers.append(name, one)
  const status = res.statusCode ?? 502
  const empty = NO_BODY.has(status) || method === 'HEAD'
  if (empty) res.resume()
  const body = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>)
  const response = new Response(body, { status, statusText: res.statusMessage, headers })
  Object.defineProperty(response, 'url', { value: url.href })
  return response
}

function nextUrl(location: string, from: URL, options: OutboundOptions): URL {
  let target: URL
  try {
    target = new URL(location, from)
  } catch {
    throw new OutboundRefusedError('redirected to an invalid URL', from.hostname)
  }
  try {
    return checkUrlShape(target, options)
  } catch (error) {
    throw new OutboundRefusedError(`redirected to a URL that ${(error as Error).message}`, target.hostname)
  }
}

/**
 * `fetch` for untrusted URLs: https only (unless `allowHttp`), public addresses only, checked at connect
 * time on every hop. Refusals throw OutboundRefusedError; a timeout throws the signal's TimeoutError.
 */
export async function fetchPublic(input: string | URL, init: FetchPublicInit = {}, options: OutboundOptions = {}): Promise<Response> {
  const maxRedirects = Math.min(init.maxRedirects ?? MAX_REDIRECTS, MAX_REDIRECTS)
  const signal = AbortSignal.any([AbortSignal.timeout(init.timeoutMs ?? 10_000), ...(init.signal ? [init.signal] : [])])
  // Agents of this call only, without keep-alive: no socket outlives it.
  const httpsAgent = new PublicHttpsAgent(options, { keepAlive: false })
  const httpAgent = new PublicHttpAgent(options, { keepAlive: false })
  let url = checkUrlShape(input, options)
  let method = (init.method ?? 'GET').toUpperCase()
  let body = init.body
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))

  for (let redirects = 0; ; redirects++) {
    const res = await send(url, { method, headers, body, signal, agent: url.protocol === 'https:' ? httpsAgent : httpAgent })
    const location = res.headers.location
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return toResponse(res, url, method)
    res.resume()
    if (redirects >= maxRedirects) throw new OutboundRefusedError(`stopped after ${maxRedirects} redirects`, url.hostname)
    const next = nextUrl(location, url, options)
    // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
    if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
      method = 'GET'
      body = undefined
      for (const name of BODY_HEADERS) delete headers[name]
    }
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name]
    url = next
  }
}
