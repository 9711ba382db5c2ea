// The Upstash Redis REST API over a real Redis server (node:http), faithful enough that the real
// `@upstash/redis` client runs against it unchanged: bearer or `_token` auth, `POST /` with a JSON
// command, /pipeline, /multi-exec, path-style commands, `Upstash-Encoding: base64`, Upstash's status
// codes and `{ result }` / `{ error }` bodies. `GET /health` and `GET /usage` are ours; /usage counts
// requests and commands as Upstash bills them (each command of a pipeline or transaction, a script as
// one), so a benchmark can print what its work would cost.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { refusal } from './command-policy'
import { encodeResult } from './encode-reply'
import { errorReply, hasValidToken, readBody, reply, writeReply, type Reply } from './http-io'
import { commandFromJson, commandFromPath, commandsFromJson, parseJsonBody, ProtocolError, type RedisCommand } from './parse-command'
import { isRedisError, RedisConnections, TransactionDiscarded, type Outcome } from './redis-connections'
import { ScriptFlags } from './script-flags'
import { holdIdleConnections } from '../keep-alive'

export interface UpstashBridgeOptions {
  port?: number
  host?: string
  redisUrl?: string
  // The REST token clients must present (UPSTASH_REDIS_REST_TOKEN on their side).
  token: string
  log?: (line: string) => void
}

export interface UpstashBridge {
  url: string
  port: number
  stop(): Promise<void>
}

const MAX_REQUEST_BYTES = 10 * 1024 * 1024
const ALLOWED_METHODS = new Set(['HEAD', 'GET', 'POST', 'PUT'])

interface RequestContext {
  connections: RedisConnections
  base64: boolean
}

interface Usage {
  requests: number
  commands: number
}

export async function startUpstashBridge({
  port = 0,
  host = '127.0.0.1',
  redisUrl = 'redis://127.0.0.1:6379',
  token,
  log = () => {},
}: UpstashBridgeOptions): Promise<UpstashBridge> {
  if (!token) throw new Error('upstash-bridge needs a token')
  const connections = new RedisConnections(redisUrl, log)
  const scripts = new ScriptFlags()
  // Clients only echo it back (read-your-writes); with a single Redis any value is always caught up.
  let syncToken = 0
  const usage: Usage = { requests: 0, commands: 0 }

  const server = createServer((req, res) => {
    void route(req, connections, scripts, token, usage)
      .catch((error: unknown) => {
        log(`upstash-bridge: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        return errorReply(500, `ERR ${error instanceof Error ? error.message : String(error)}`)
      })
      .then((answer) => {
        try {
          writeReply(res, answer, { 'upstash-sync-token': String(++syncToken) })
        } catch (error) {
          // The client went away mid-answer; keep serving the others.
          log(`upstash-bridge: could not write a reply: ${String(error)}`)
        }
      })
  })
  holdIdleConnections(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      connections.close()
    },
  }
}

async function route(req: IncomingMessage, connections: RedisConnections, scripts: ScriptFlags, token: string, usage: Usage): Promise<Reply> {
  if (!ALLOWED_METHODS.has(req.method ?? '')) return errorReply(405, 'Method Not Allowed')
  const url = new URL(req.url ?? '/', 'http://bridge')
  if (url.pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD'))
    return reply(200, { service: 'upstash-bridge', redis: (await connections.ping(1_000)) ? 'up' : 'down' })
  if (url.pathname === '/usage' && req.method === 'GET') return reply(200, usage)
  if (!hasValidToken(req, url, token)) return errorReply(401, 'Unauthorized')

  const body = await readBody(req, MAX_REQUEST_BYTES)
  if (!body) return errorReply(400, 'ERR max request size exceeded')
  const format = headerValue(req, 'upstash-response-format')
  if (format !== undefined && format !== 'json')
    return errorReply(400, format === 'resp2' ? 'ERR resp2 response format is not supported by this bridge' : 'ERR invalid response format')
  const context: RequestContext = { connections, base64: headerValue(req, 'upstash-encoding') === 'base64' }

  const billed = <T>(commands: T[]) => {
    usage.requests++
    usage.commands += commands.length
    return commands
  }
  try {
    if (url.pathname === '/pipeline') return await runPipeline(context, billed(commandsFromJson(parseJsonBody(body))).map((c) => scripts.translate(c)))
    if (url.pathname === '/multi-exec') return await runTransaction(context, billed(commandsFromJson(parseJsonBody(body))).map((c) => scripts.translate(c)))
    const [command] = billed([url.pathname === '/' ? commandFromJson(parseJsonBody(body)) : commandFromPath(url.pathname, url.searchParams, body)])
    return await runSingle(context, scripts.translate(command!))
  } catch (error) {
    if (error instanceof ProtocolError) return errorReply(400, error.message)
    throw error
  }
}

async function runSingle({ connections, base64 }: RequestContext, command: RedisCommand): Promise<Reply> {
  const refused = refusal(command)
  if (refused) return errorReply(400, refused)
  try {
    return reply(200, { result: encodeResult(await connections.run(command), base64) })
  } catch (error) {
    return failure(error)
  }
}

// Not atomic; every command gets its own `{ result }` or `{ error }`, and the request still answers 200.
async function runPipeline({ connections, base64 }: RequestContext, commands: RedisCommand[]): Promise<Reply> {
  const prepared = commands.map((command) => {
    const refused = refusal(command)
    return refused ? new Error(refused) : command
  })
  const outcomes = await connections.pipeline(prepared)
  return reply(
    200,
    outcomes.map((outcome) => outcomeJson(outcome, base64)),
  )
}

// Atomic. A command Redis rejects at run time fails alone (MULTI semantics); one rejected before EXEC,
// or one Upstash refuses, discards the whole transaction with a single error.
async function runTransaction({ connections, base64 }: RequestContext, commands: RedisCommand[]): Promise<Reply> {
  for (const command of commands) {
    const refused = refusal(command)
    if (refused) return errorReply(400, refused)
  }
  try {
    const outcomes = await connections.transaction(commands)
    return reply(
      200,
      outcomes.map((outcome) => outcomeJson(outcome, base64)),
    )
  } catch (error) {
    if (error instanceof TransactionDiscarded) return errorReply(400, error.message)
    return failure(error)
  }
}

const outcomeJson = (outcome: Outcome, base64: boolean) =>
  outcome.ok ? { result: encodeResult(outcome.reply, base64) } : { error: outcome.error.message }

// Redis rejected the command: 400 with its message, as Upstash does. Anything else means Redis could
// not be reached.
function failure(error: unknown): Reply {
  if (isRedisError(error)) return errorReply(400, error.message)
  return errorReply(500, `ERR redis is unavailable: ${error instanceof Error ? error.message : String(error)}`)
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase()
}
