// The one rule for every request the server makes to a URL a tenant or a browser gave us: https only,
// no credentials, and every address the host resolves to must be public (see classify-address.ts).
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { AppError } from '@/core/errors/app-error'
import { classifyAddress } from './classify-address'

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to all of its addresses; injectable so tests need no DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

export interface OutboundOptions {
  /** Also accept `http:` URLs; only for features that explicitly allow plain HTTP. */
  allowHttp?: boolean
  /**
   * Hosts exempt from the address check, from the deployment's OUTBOUND_ALLOW_PRIVATE_HOSTS
   * (refused in production by the configuration); never derived from a request.
   */
  allowPrivateHosts?: readonly string[]
  resolve?: Resolver
  /** How long a DNS answer may take (default 3 s): write-time checks run inside a transaction. */
  lookupTimeoutMs?: number
}

/** A URL or address the guard will not let the server contact. */
export class OutboundRefusedError extends Error {
  readonly code = 'ERR_OUTBOUND_REFUSED'
  constructor(
    message: string,
    readonly host?: string,
  ) {
    super(message)
    this.name = 'OutboundRefusedError'
  }
}

export const isOutboundRefusal = (error: unknown): error is OutboundRefusedError => error instanceof OutboundRefusedError

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, family: 0 })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))

/**
 * A host as WHATWG URL spells it, without brackets or a trailing dot, so that `[::1]`, `::1`,
 * `2130706433` and `127.0.0.1`, or `Push.Example.` and `push.example`, compare equal.
 */
export function normalizeHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  try {
    const parsed = new URL(`https://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname
    return parsed.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  } catch {
    return bare.toLowerCase().replace(/\.$/, '')
  }
}

export const isAllowedPrivateHost = (host: string, options: OutboundOptions) =>
  (options.allowPrivateHosts ?? []).some((allowed) => normalizeHost(allowed) === normalizeHost(host))

/** Checks what can be checked without DNS: scheme, credentials, host. Returns the parsed URL. */
export function checkUrlShape(input: string | URL, options: OutboundOptions = {}): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new OutboundRefusedError('must be a valid absolute URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp))
    throw new OutboundRefusedError(options.allowHttp ? 'must be an http or https URL' : 'must be an https URL')
  if (url.username || url.password) throw new OutboundRefusedError('must not contain a user name or password')
  if (!url.hostname) throw new OutboundRefusedError('must name a host')
  return url
}

/** Refuses an IP address that is not public, unless its host is explicitly allowed. */
export function assertPublicAddress(address: string, host: string, options: OutboundOptions = {}) {
  if (isAllowedPrivateHost(host, options)) return
  const verdict = classifyAddress(address)
  if (!verdict.public) {
    const via = normalizeHost(host) === normalizeHost(address) ? '' : ` (${host} resolves to ${address})`
    throw new OutboundRefusedError(`points to ${verdict.reason}${via}; only public internet addresses are allowed`, host)
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, host: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup of ${host} timed out`), { code: 'ETIMEOUT', hostname: host })), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/**
 * All addresses of a host (a literal IP is its own address), refusing if ANY of them is not public:
 * a name with one private answer among public ones could be connected to that one.
 * DNS failures are passed on as they are (they are not a refusal, and may be transient).
 */
export async function resolvePublicAddresses(host: string, options: OutboundOptions = {}): Promise<ResolvedAddress[]> {
  // As WHATWG URL reads it: `2130706433` or `0x7f.1` from a legacy parser is 127.0.0.1, not a name.
  const bare = normalizeHost(host)
  const family = isIP(bare)
  const addresses =
    family === 4 || family === 6
      ? [{ address: bare, family: family as 4 | 6 }]
      : await withTimeout((options.resolve ?? systemResolver)(bare), options.lookupTimeoutMs ?? 3_000, bare)
  if (addresses.length === 0) throw Object.assign(new Error(`${bare} has no addresses`), { code: 'ENOTFOUND', hostname: bare })
  for (const a of addresses) assertPublicAddress(a.address, bare, options)
  return addresses
}

/**
 * Validation at write time: throws AppError('validation_failed') (HTTP 422) naming `field` when the
 * URL is not one the server may contact. The connect-time agent (public-agent.ts) still re-checks,
 * since DNS may answer differently by then.
 */
export async function assertPublicUrl(input: string | URL, options: OutboundOptions & { field?: string } = {}): Promise<URL> {
  const field = options.field ?? 'url'
  const fail = (message: string) => new AppError('validation_failed', `${field}: ${message}`, [{ path: field, message }])
  let url: URL
  try {
    url = checkUrlShape(input, options)
    await resolvePublicAddresses(url.hostname, options)
  } catch (error) {
    if (isOutboundRefusal(error)) throw fail(error.message)
    // Fail closed: a name we cannot resolve now is not one we can vouch for.
    if ((error as NodeJS.ErrnoException).code === 'ETIMEOUT') throw fail('its host name could not be resolved in time')
    throw fail('its host name could not be resolved')
  }
  return url
}
