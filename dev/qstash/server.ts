// A local QStash v2 over node:http, faithful enough that the real `@upstash/qstash` Client and
// Receiver run against it unchanged: bearer auth, publish with Upstash-* headers, signed delivery with
// retries, DLQ, callbacks, cron schedules and message cancel. State lives in memory. Time comes from
// `now`, so tests can move the clock instead of sleeping.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorReply, type Reply } from '../upstash-bridge/http-io'
import { defaultRetryBackoffMs, Dispatcher } from './dispatcher'
import { MessageStore } from './message-store'
import { route } from './routes'
import { ScheduleStore } from './schedules'
import { holdIdleConnections } from '../keep-alive'

export interface QstashStandInOptions {
  port?: number
  host?: string
  // QSTASH_TOKEN on the client side.
  token: string
  // QSTASH_CURRENT_SIGNING_KEY / QSTASH_NEXT_SIGNING_KEY; deliveries are signed with the current one.
  currentSigningKey: string
  nextSigningKey: string
  now?: () => number
  // Delay before retry number `retry` (1-based), in ms; QStash's e^(2.5 n) seconds by default.
  retryBackoffMs?: (retry: number) => number
  // How often due messages and schedules are looked at.
  tickMs?: number
  // Per-attempt limit when the message sets no Upstash-Timeout.
  deliveryTimeoutMs?: number
  log?: (line: string) => void
}

export interface QstashStandIn {
  url: string
  port: number
  stop(): Promise<void>
}

export async function startQstashStandIn({
  port = 0,
  host = '127.0.0.1',
  token,
  currentSigningKey,
  nextSigningKey,
  now = Date.now,
  retryBackoffMs = defaultRetryBackoffMs,
  tickMs = 100,
  deliveryTimeoutMs = 15 * 60_000,
  log = () => {},
}: QstashStandInOptions): Promise<QstashStandIn> {
  if (!token || !currentSigningKey || !nextSigningKey) throw new Error('the QStash stand-in needs a token and both signing keys')
  const store = new MessageStore()
  const schedules = new ScheduleStore()
  const dispatcher = new Dispatcher({ store, now, signingKey: currentSigningKey, retryBackoffMs, timeoutMs: deliveryTimeoutMs, log })

  const server = createServer((req, res) => {
    const answer = isAuthorized(req, token) ? route(req, { store, schedules, now }) : Promise.resolve(errorReply(401, 'Unauthorized'))
    void answer
      .catch((error: unknown) => {
        log(`qstash: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        return errorReply(500, error instanceof Error ? error.message : String(error))
      })
      .then((reply) => send(res, reply))
  })
  holdIdleConnections(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })

  const timer = setInterval(() => {
    schedules.fireDue(store, now())
    dispatcher.tick()
  }, tickMs)

  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    async stop() {
      clearInterval(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function isAuthorized(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1]
  if (!given) return false
  // Digests have equal length, which timingSafeEqual needs, whatever the lengths of the tokens.
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(token))
}

function send(res: ServerResponse, { status, body }: Reply) {
  try {
    if (body === undefined) {
      res.writeHead(status, { 'content-length': '0' }).end()
      return
    }
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text)
  } catch {
    // The client went away mid-answer; keep serving the others.
  }
}
