// PGlite (Postgres compiled to WASM) persisted under .data/, served over the Postgres wire protocol
// so the app and the worker connect with the same client they use against a real server.
//
// PGlite is a single Postgres session, yet the app and the worker each keep a pool of connections to
// it, so every connection's messages run on that one session and must never interleave. A query is
// several messages (Parse, Bind, Describe, Execute … Sync) sharing the session's unnamed statement and
// portal, and a transaction spans many queries. So a connection holds the session from its first
// message until Postgres answers ReadyForQuery with status 'I' (idle: the Sync or simple Query is done
// and no transaction is open; 'T' or 'E' mean one still is), while the other connections wait their
// turn in arrival order. @electric-sql/pglite-socket's server is not used: it keeps only explicit
// transactions together and runs other connections' messages between the messages of one query,
// binding one client's parameters to another client's statement.
//
// LISTEN/NOTIFY: PGlite is one backend, so a notification comes out in the reply of whichever
// connection committed the NOTIFY. The server takes it out of that reply and forwards it to every
// connection that asked to LISTEN on its channel, as a real server would.
//
// Timeouts: PGlite ignores the server parameters in a startup message, and even after SET statement_timeout
// it runs a statement to its end (measured with PGlite 0.5.14: `select pg_sleep(2)` under a 200 ms limit, and
// a CPU-bound count over generate_series). So the server enforces two that a client's startup message names,
// answering as Postgres does, while PGlite runs on a thread of its own (pglite-thread.ts):
// - statement_timeout, counted from a statement's first message, so waiting for the session counts: past it
//   the client gets 57014 and its connection stays usable. A statement still waiting never runs. One that
//   PGlite has started cannot be interrupted: it runs on to its end, holding the session, and is then rolled
//   back (outside a transaction block) or leaves its transaction failed, as a cancel does; only a statement
//   sent as a simple query (no parameters) outside a transaction is committed by PGlite as it ends. Until
//   then statements on other connections fail once their own limit passes, new connections wait (the
//   client's connect timeout ends that), and statements sent on the same connection wait for it.
// - idle_in_transaction_session_timeout: a connection that holds the session in an open transaction and sends
//   nothing for that long is ended (FATAL 25P03) and its transaction rolled back, so an idle transaction cannot
//   hold up every other connection. (Left to PGlite, this timeout hangs its thread for good when it fires.)
// lock_timeout has nothing to bound: transactions take the one session in turn, so none waits on another's locks.
import { mkdir } from 'node:fs/promises'
import net from 'node:net'
import { startPgliteThread } from './pglite-thread'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const READY_FOR_QUERY = 0x5a // 'Z'
const TERMINATE = 0x58 // 'X'
const QUERY = 0x51 // 'Q'
const SYNC_TYPE = 0x53 // 'S'
const PARSE = 0x50 // 'P'
const NOTIFICATION = 0x41 // 'A'

/** A protocol message, either way: type byte, then an Int32 length that counts itself and the body. */
const protocolMessage = (type: string, body = Buffer.alloc(0)) => {
  const header = Buffer.alloc(5)
  header.write(type, 0, 'latin1')
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}
// To tidy up after a statement that was cut short or a connection that went away: ROLLBACK undoes an
// unfinished statement (a Sync would commit one outside a transaction block) and an open transaction;
// Sync ends the unfinished query.
const SYNC = protocolMessage('S')
const ROLLBACK = protocolMessage('Q', Buffer.from('rollback\0'))
// Puts a transaction in the failed state a cancelled statement leaves it in, so only a rollback ends it.
const FAIL_TRANSACTION = protocolMessage('Q', Buffer.from("do $$ begin raise exception using errcode = 'query_canceled'; end $$\0"))

const errorResponse = (severity: 'ERROR' | 'FATAL', code: string, message: string, detail: string) =>
  protocolMessage('E', Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${message}\0D${detail}\0\0`))
const readyForQuery = (status: string) => protocolMessage('Z', Buffer.from(status, 'latin1'))
const STATEMENT_TIMEOUT = errorResponse(
  'ERROR',
  '57014',
  'canceling statement due to statement timeout',
  'The embedded database cannot interrupt a statement: it runs on to its end, and this connection waits for it.',
)
const IDLE_IN_TRANSACTION_TIMEOUT = errorResponse(
  'FATAL',
  '25P03',
  'terminating connection due to idle-in-transaction timeout',
  'Its transaction is rolled back.',
)

/** The status of the ReadyForQuery that ends the backend's reply, or undefined if it ends otherwise. */
function finalReadyStatus(reply: Buffer) {
  let last = -1
  for (let at = 0; at + 5 <= reply.length; at += 1 + reply.readInt32BE(at + 1)) last = at
  return last >= 0 && reply[last] === READY_FOR_QUERY ? String.fromCharCode(reply[last + 5]!) : undefined
}

/** Splits a backend reply into its messages. */
function messagesOf(reply: Buffer) {
  const messages: Buffer[] = []
  for (let at = 0; at + 5 <= reply.length; ) {
    const end = at + 1 + reply.readInt32BE(at + 1)
    messages.push(reply.subarray(at, end))
    at = end
  }
  return messages
}

/** The limits a startup message sets, in ms (0 = none): after its length and protocol version come
 * name/value pairs of C strings. Values are read as Postgres reads them: milliseconds unless a unit follows. */
function startupLimits(message: Buffer) {
  const fields = message.toString('utf8', 8).split('\0')
  const parameters = new Map<string, string>()
  for (let i = 0; fields[i] && i + 1 < fields.length; i += 2) parameters.set(fields[i]!, fields[i + 1]!)
  const milliseconds = (name: string) => {
    const match = /^\s*(\d+)\s*(ms|s|min)?\s*$/.exec(parameters.get(name) ?? '')
    return match ? Number(match[1]) * { ms: 1, s: 1_000, min: 60_000 }[match[2] ?? 'ms']! : 0
  }
  return { statementMs: milliseconds('statement_timeout'), idleInTransactionMs: milliseconds('idle_in_transaction_session_timeout') }
}

/** A NotificationResponse's channel: after the type, the length and the sender's Int32 pid. */
const channelOf = (notification: Buffer) => notification.toString('utf8', 9, notification.indexOf(0, 9))

/** The channel a `LISTEN`/`UNLISTEN` names (postgres.js quotes it), if the message is one: a simple
 * Query carries the text after its length, a Parse after the statement's name. */
function listenCommand(message: Buffer): { listen: boolean; channel: string } | undefined {
  if (message[0] !== QUERY && message[0] !== PARSE) return undefined
  const from = message[0] === QUERY ? 5 : message.indexOf(0, 5) + 1
  const text = message.toString('utf8', from, message.indexOf(0, from))
  const match = /^\s*(listen|unlisten)\s+(?:"((?:[^"]|"")+)"|([\w$]+))\s*;?\s*$/i.exec(text)
  if (!match) return undefined
  return { listen: match[1]!.toLowerCase() === 'listen', channel: match[2]?.replaceAll('""', '"') ?? match[3]!.toLowerCase() }
}

export async function startEmbeddedPostgres(dataDir: string, port: number) {
  await mkdir(dataDir, { recursive: true })
  const pglite = await startPgliteThread(dataDir)
  const exec = (message: Uint8Array) => pglite.exec(message)

  // The session's current holder and the connections waiting for it, first come first served.
  let holder: object | undefined
  const waiting: { who: object; go: () => void }[] = []
  const take = async (who: object) => {
    if (holder === undefined) holder = who
    else if (holder !== who) await new Promise<void>((go) => waiting.push({ who, go }))
  }
  const handOver = () => {
    const next = waiting.shift()
    holder = next?.who // assigned here, not by the waiter, so nobody can slip in before it resumes
    next?.go()
  }

  const sockets = new Set<net.Socket>()
  const finished = new Set<Promise<void>>()
  // Each connection's LISTEN channels, to route the notifications out of whichever reply carried them.
  const channels = new Map<net.Socket, Set<string>>()

  /** The reply without its notifications, which go to the connections listening on their channels. */
  const routeNotifications = (reply: Buffer) => {
    if (!reply.includes(NOTIFICATION)) return reply
    const messages = messagesOf(reply)
    const notifications = messages.filter((m) => m[0] === NOTIFICATION)
    if (notifications.length === 0) return reply
    for (const notification of notifications) {
      const channel = channelOf(notification)
      for (const [listener, names] of channels) if (names.has(channel) && listener.writable) listener.write(notification)
    }
    return Buffer.concat(messages.filter((m) => m[0] !== NOTIFICATION))
  }

  function serve(socket: net.Socket) {
    const who = {}
    let pending = Buffer.alloc(0)
    let started = false // the startup message (no type byte) has been handled
    let open = false // this connection has a query or transaction in progress on the session
    let closed = false
    let status = 'I' // the transaction status the client was last told: idle, in a transaction, or in a failed one
    let limits = { statementMs: 0, idleInTransactionMs: 0 }
    let statementTimer: NodeJS.Timeout | undefined
    let idleTimer: NodeJS.Timeout | undefined
    // The statement in progress was answered with 57014 before it finished: `ran` if PGlite had started it.
    let cutShort: { ran: boolean; before: string } | undefined

    const expire = () => {
      statementTimer = undefined
      cutShort = { ran: holder === who, before: status }
      status = status === 'I' ? 'I' : 'E' // as Postgres leaves a transaction whose statement was cancelled
      socket.write(Buffer.concat([STATEMENT_TIMEOUT, readyForQuery(status)]))
    }

    /** Once PGlite is done with a statement that was cut short, makes the session what the client was told. */
    const mend = async (endReply: Buffer | undefined) => {
      const { before } = cutShort!
      cutShort = undefined
      let final = endReply && finalReadyStatus(endReply) // its last message ran: the statement is over
      if (!final) {
        // Outside a transaction block the Sync would commit it: ROLLBACK first.
        if (before === 'I') await exec(ROLLBACK)
        final = finalReadyStatus(await exec(SYNC))
      }
      if (final === 'T') final = finalReadyStatus(await exec(FAIL_TRANSACTION))
      open = final !== 'I'
    }

    const next = () => {
      const lengthAt = started ? 1 : 0
      if (pending.length < lengthAt + 4) return undefined
      const size = lengthAt + pending.readInt32BE(lengthAt)
      if (size < lengthAt + 4) throw new Error(`malformed message length ${size - lengthAt}`)
      if (pending.length < size) return undefined
      const message = pending.subarray(0, size)
      pending = pending.subarray(size)
      return message
    }

    const run = async (message: Buffer) => {
      const ends = !started || message[0] === SYNC_TYPE || message[0] === QUERY // the last message of a statement
      if (cutShort && !cutShort.ran) {
        if (ends) cutShort = undefined // it was answered while waiting for the session: the rest of it is dropped
        return
      }
      if (started && !cutShort && limits.statementMs > 0) statementTimer ??= setTimeout(expire, limits.statementMs)
      await take(who)
      if (cutShort && !cutShort.ran) {
        if (ends) cutShort = undefined
        handOver() // it holds nothing: waiting for the session means it was idle
        return
      }
      const command = listenCommand(message)
      if (command) {
        const names = channels.get(socket) ?? new Set<string>()
        if (command.listen) names.add(command.channel)
        else names.delete(command.channel)
        channels.set(socket, names)
      }
      // After a statement was cut short, the rest of its messages are not run: its end mends the session instead.
      const reply = cutShort ? undefined : routeNotifications(await exec(message))
      if (cutShort) {
        if (ends) await mend(reply)
      } else if (reply!.length > 0) {
        // A message with no reply (Flush, or one skipped after an error until Sync) changes nothing.
        if (!closed) socket.write(reply!)
        const final = finalReadyStatus(reply!)
        if (final) {
          clearTimeout(statementTimer) // the statement is answered
          statementTimer = undefined
          status = final
        }
        open = final !== 'I'
      }
      if (!open) handOver()
    }

    /** Ends a connection idle in its transaction for too long, as Postgres does; leave() rolls it back. */
    const endIdle = () => {
      closed = true
      socket.end(IDLE_IN_TRANSACTION_TIMEOUT)
      // A client that never closes its end would keep the session for good.
      setTimeout(() => socket.destroy(), 1_000).unref()
    }

    const drain = async () => {
      for (let message = next(); message && !closed; message = next()) {
        if (!started) {
          const code = message.length >= 8 ? message.readInt32BE(4) : 0
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N') // plain connections only
          else if (code === CANCEL_REQUEST) socket.end() // nothing to cancel: a query runs to its end
          else {
            limits = startupLimits(message)
            await run(message)
            started = true
          }
        } else if (message[0] === TERMINATE) socket.end()
        else await run(message)
      }
      // All it sent has run and it holds the session in a transaction: from now on it is idle in it.
      clearTimeout(idleTimer)
      if (open && !closed && limits.idleInTransactionMs > 0) idleTimer = setTimeout(endIdle, limits.idleInTransactionMs)
    }

    const leave = async () => {
      if (holder !== who) return
      try {
        await exec(ROLLBACK)
        // After an error, the first ROLLBACK was skipped until the Sync: the transaction may still be open.
        if (finalReadyStatus(await exec(SYNC)) !== 'I') await exec(ROLLBACK)
      } finally {
        handOver()
      }
    }

    let turn = Promise.resolve()
    const fail = (error: unknown) => {
      if (!closed) console.error('[embedded-postgres] connection failed:', error)
      socket.destroy()
    }
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('data', (chunk) => {
      clearTimeout(idleTimer)
      pending = Buffer.concat([pending, chunk])
      turn = turn.then(drain).catch(fail)
    })
    socket.on('error', () => {}) // 'close' follows
    const done = new Promise<void>((resolve) =>
      socket.on('close', () => {
        closed = true
        clearTimeout(statementTimer)
        clearTimeout(idleTimer)
        sockets.delete(socket)
        channels.delete(socket)
        turn = turn.then(leave).catch(() => {}).then(resolve)
      }),
    )
    finished.add(done)
    void done.then(() => finished.delete(done))
  }

  const server = net.createServer(serve)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const { port: listening } = server.address() as net.AddressInfo
  return {
    url: `postgres://postgres@127.0.0.1:${listening}/postgres`,
    async stop() {
      const closing = new Promise((resolve) => server.close(resolve))
      for (const socket of sockets) socket.destroy()
      await closing
      await Promise.all(finished)
      await pglite.close()
    },
  }
}
