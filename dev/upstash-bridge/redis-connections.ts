// The bridge's Redis connections: one shared connection for single commands and pipelines (Redis
// answers a connection's commands in order, so a pipeline's replies line up with its commands even when
// other requests' commands land in between, which Upstash allows), and a small pool of connections a
// /multi-exec borrows exclusively, so nothing else is ever written between its MULTI and EXEC.
import { Redis, ReplyError, type RedisOptions } from 'ioredis'
import type { RedisCommand } from './parse-command'

export type Outcome = { ok: true; reply: unknown } | { ok: false; error: Error }

// EXEC never ran: a command was rejected while queueing (wrong arity, unknown command …).
export class TransactionDiscarded extends Error {}

const MAX_TRANSACTION_CONNECTIONS = 4

const CONNECTION_OPTIONS: RedisOptions = {
  // Upstash answers with RESP2 shapes (flat HGETALL and ZRANGE WITHSCORES, nil for a Lua false);
  // ioredis would otherwise negotiate RESP3.
  protocol: 2,
  // Replies as Buffers (callBuffer) and integers as digit strings: bytes and 64-bit integers survive.
  stringNumbers: true,
  // Connect on first use, as a hosted database looks to a client: no startup race with Redis.
  lazyConnect: true,
  connectTimeout: 2_000,
  // A request fails fast while Redis is down instead of waiting through many reconnects, and a command
  // lost with a dropped connection is reported, not resent (resending an INCR would apply it twice).
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
}

// ioredis applies reply transformers by lower-case command name (HGETALL would become an object);
// an upper-case name reaches Redis the same but keeps the raw reply the REST API returns.
const wireName = (command: RedisCommand) => command.name.toUpperCase()

export const isRedisError = (error: unknown): error is Error => error instanceof (ReplyError as typeof Error)

export class RedisConnections {
  private readonly shared: Redis
  private readonly idle: Redis[] = []
  private readonly waiting: ((connection: Redis) => void)[] = []
  private readonly all = new Set<Redis>()
  private transactionConnections = 0

  constructor(
    private readonly redisUrl: string,
    private readonly log: (line: string) => void,
  ) {
    this.shared = this.open()
  }

  run(command: RedisCommand): Promise<unknown> {
    return this.shared.callBuffer(wireName(command), command.args)
  }

  // All commands are written before any reply is read, in order; one failing does not stop the rest.
  async pipeline(commands: (RedisCommand | Error)[]): Promise<Outcome[]> {
    const settled = await Promise.allSettled(
      commands.map((command) => (command instanceof Error ? Promise.reject(command) : this.run(command))),
    )
    return settled.map((s) => (s.status === 'fulfilled' ? { ok: true, reply: s.value } : { ok: false, error: toError(s.reason) }))
  }

  async transaction(commands: RedisCommand[]): Promise<Outcome[]> {
    const connection = await this.acquire()
    try {
      const multi = connection.multi()
      for (const command of commands) multi.callBuffer(wireName(command), command.args)
      let results: [Error | null, unknown][] | null
      try {
        results = await multi.exec()
      } catch (error) {
        const previous = (error as { previousErrors?: Error[] }).previousErrors?.[0]
        if (isRedisError(error)) throw new TransactionDiscarded(previous?.message ?? error.message)
        throw error
      }
      if (!results) throw new TransactionDiscarded('EXECABORT Transaction discarded')
      return results.map(([error, reply]) => (error ? { ok: false, error } : { ok: true, reply }))
    } finally {
      this.release(connection)
    }
  }

  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const pong = this.shared.ping().then(
      () => true,
      () => false,
    )
    try {
      return await Promise.race([pong, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  close() {
    for (const connection of this.all) connection.disconnect()
    this.all.clear()
  }

  private open(): Redis {
    const connection = new Redis(this.redisUrl, CONNECTION_OPTIONS)
    let lastError = ''
    // Without a listener ioredis prints every reconnect failure; say each distinct one once.
    connection.on('error', (error: Error) => {
      if (error.message === lastError) return
      lastError = error.message
      this.log(`upstash-bridge: redis connection error: ${error.message}`)
    })
    connection.on('ready', () => (lastError = ''))
    this.all.add(connection)
    return connection
  }

  private acquire(): Promise<Redis> {
    const connection = this.idle.pop()
    if (connection) return Promise.resolve(connection)
    if (this.transactionConnections < MAX_TRANSACTION_CONNECTIONS) {
      this.transactionConnections++
      return Promise.resolve(this.open())
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(connection: Redis) {
    // Closed while the transaction ran: the bridge is stopping.
    if (!this.all.has(connection)) return
    const next = this.waiting.shift()
    if (next) next(connection)
    else this.idle.push(connection)
  }
}

const toError = (reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)))
