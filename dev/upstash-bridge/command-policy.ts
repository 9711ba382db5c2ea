// Commands the Upstash REST API refuses. Besides matching Upstash, refusing them protects the bridge:
// its Redis connections are shared between requests, so a command that blocks, changes the connection's
// state (database, auth, subscriber or monitor mode, an open MULTI) or stops the server would break
// every other request.
import type { RedisCommand } from './parse-command'

const BLOCKING = new Set(['BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BLMOVE', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'WAIT', 'WAITAOF'])

// From Redis's connection group only PING and ECHO work over REST.
const CONNECTION = new Set(['AUTH', 'CLIENT', 'HELLO', 'QUIT', 'RESET', 'SELECT', 'SWAPDB', 'READONLY', 'READWRITE', 'ASKING', 'CLUSTER'])

// /multi-exec is the transaction; WATCH and friends make no sense across stateless requests.
const TRANSACTION = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'])

// Subscriptions and MONITOR are streams (SSE on Upstash), never a `{ result }`.
const STREAMING = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR'])

const SERVER_CONTROL = new Set(['SHUTDOWN', 'SYNC', 'PSYNC', 'REPLCONF', 'REPLICAOF', 'SLAVEOF', 'FAILOVER', 'DEBUG'])

export function refusal(command: RedisCommand): string | undefined {
  const name = command.name.toUpperCase()
  const refused =
    BLOCKING.has(name) ||
    CONNECTION.has(name) ||
    TRANSACTION.has(name) ||
    STREAMING.has(name) ||
    SERVER_CONTROL.has(name) ||
    ((name === 'XREAD' || name === 'XREADGROUP') && hasBlockOption(command))
  return refused ? `ERR Command is not available: '${command.name}'` : undefined
}

// XREAD and XREADGROUP block only with a BLOCK option, which comes before STREAMS. Option values are
// skipped so a group or consumer named "block" is not mistaken for the option.
function hasBlockOption(command: RedisCommand): boolean {
  const words = command.args.map((arg) => arg.toString().toUpperCase())
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (word === 'STREAMS') return false
    if (word === 'BLOCK') return true
    if (word === 'GROUP') i += 2
    else if (word === 'COUNT') i += 1
  }
  return false
}
