// HTTP(S) agents that check the address at connect time, after the last DNS answer, so a host that
// re-resolves to a private address between validation and connection (DNS rebinding) is still refused.
import type { LookupAddress, LookupOptions } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { Duplex } from 'node:stream'
import { OutboundRefusedError, assertPublicAddress, resolvePublicAddresses, type OutboundOptions } from './outbound-url-guard'

/**
 * A `dns.lookup`-compatible function for `net.connect`: answers only when every address of the host
 * is public (or the host is explicitly allowed), with the addresses it checked.
 */
export function publicLookup(options: OutboundOptions = {}): LookupFunction {
  return (hostname: string, lookupOptions: LookupOptions, callback) => {
    resolvePublicAddresses(hostname, options).then(
      (resolved) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? resolved.filter((a) => a.family === lookupOptions.family) : resolved
        if (wanted.length === 0) {
          const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
          return callback(error, '', 0)
        }
        if (lookupOptions.all) return callback(null, wanted.map((a): LookupAddress => ({ address: a.address, family: a.family })))
        callback(null, wanted[0]!.address, wanted[0]!.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    )
  }
}

type ConnectionOptions = http.ClientRequestArgs & { socketPath?: string }
type Callback = (err: Error | null, stream: Duplex) => void

// net.connect skips `lookup` for a literal IP, so those are checked here; names go through publicLookup.
function refusal(options: ConnectionOptions, guard: OutboundOptions): OutboundRefusedError | undefined {
  if (options.socketPath) return new OutboundRefusedError('connections to local sockets are not allowed')
  const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1')
  if (!isIP(host)) return undefined
  try {
    assertPublicAddress(host, host, guard)
    return undefined
  } catch (error) {
    return error as OutboundRefusedError
  }
}

// Node's agent passes a callback; answering through it fails the request with the refusal.
function refuse(error: OutboundRefusedError, callback: Callback | undefined): undefined {
  if (!callback) throw error
  callback(error, undefined as never)
  return undefined
}

/** Drop-in for https.globalAgent (e.g. web-push's `agent` option) that only reaches public addresses. */
export class PublicHttpsAgent extends https.Agent {
  constructor(
    private readonly guard: OutboundOptions = {},
    agentOptions: https.AgentOptions = {},
  ) {
    super({ keepAlive: true, ...agentOptions, lookup: publicLookup(guard) })
  }

  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | null | undefined {
    const refused = refusal(options, this.guard)
    if (refused) return refuse(refused, callback)
    // TLS trust stays what the process gave its default agent (a private CA, say); only addresses change.
    const ca = options.ca ?? https.globalAgent.options.ca
    return super.createConnection({ ...options, ...(ca ? { ca } : {}), lookup: publicLookup(this.guard) }, callback)
  }
}

/** The plain-HTTP counterpart, for callers that pass `allowHttp`. */
export class PublicHttpAgent extends http.Agent {
  constructor(
    private readonly guard: OutboundOptions = {},
    agentOptions: http.AgentOptions = {},
  ) {
    super({ keepAlive: true, ...agentOptions, lookup: publicLookup(guard) })
  }

  override createConnection(options: http.ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    const refused = refusal(options, this.guard)
    if (refused) return refuse(refused, callback)
    return super.createConnection({ ...options, lookup: publicLookup(this.guard) }, callback)
  }
}
