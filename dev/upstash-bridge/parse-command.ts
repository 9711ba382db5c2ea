// Turns the three request forms of the Upstash REST API into Redis commands: a JSON array body
// (`["SET","k",5]`, the only form `@upstash/redis` sends), a 2-D array for /pipeline and /multi-exec,
// and path style (`/set/foo/bar`, or `/set/foo` with the raw value as the body and trailing
// arguments in the query string).

export type CommandArg = string | Buffer

export interface RedisCommand {
  // The name as the client spelled it, for error messages.
  name: string
  args: CommandArg[]
}

// A request Upstash rejects before running anything: answered with HTTP 400 and `{ error }`.
export class ProtocolError extends Error {}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new ProtocolError('ERR empty command')
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new ProtocolError('ERR failed to parse command')
  }
}

export function commandFromJson(value: unknown): RedisCommand {
  if (!Array.isArray(value) || value.length === 0) throw new ProtocolError('ERR empty command')
  const [name, ...rest] = value as unknown[]
  if (typeof name !== 'string' || name === '') throw new ProtocolError('ERR command name must be a non-empty string')
  return { name, args: rest.map((arg, index) => jsonArg(arg, index + 1)) }
}

export function commandsFromJson(value: unknown): RedisCommand[] {
  if (!Array.isArray(value) || value.length === 0) throw new ProtocolError('ERR empty pipeline')
  return value.map((entry: unknown) => {
    if (!Array.isArray(entry)) throw new ProtocolError('ERR pipeline body must be an array of command arrays')
    return commandFromJson(entry)
  })
}

// The SDK sends numbers and booleans as JSON values (`["set","k",5]`); Redis only knows strings.
function jsonArg(arg: unknown, index: number): string {
  if (typeof arg === 'string') return arg
  if (typeof arg === 'number' && Number.isFinite(arg)) return String(arg)
  if (typeof arg === 'boolean') return arg ? 'true' : 'false'
  throw new ProtocolError(`ERR invalid argument at index ${index}: expected a string, number or boolean`)
}

// `_token` is the query-string form of the bearer token, never a command argument.
export function commandFromPath(pathname: string, query: URLSearchParams, body: Buffer): RedisCommand {
  const segments = pathname.split('/').slice(1)
  if (segments.at(-1) === '') segments.pop()
  let decoded: string[]
  try {
    decoded = segments.map((segment) => decodeURIComponent(segment))
  } catch {
    throw new ProtocolError('ERR malformed path')
  }
  const [name, ...args] = decoded
  if (!name) throw new ProtocolError('ERR empty command')
  const command: RedisCommand = { name, args }
  // The body is kept as bytes so binary values survive.
  if (body.length > 0) command.args.push(body)
  for (const [key, value] of query) {
    if (key === '_token') continue
    command.args.push(key)
    if (value !== '') command.args.push(value)
  }
  return command
}
