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
import { mkdir } from 'node:fs/promises'
import net from 'node:net'
import { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const READY_FOR_QUERY = 0x5a // 'Z'
const TERMINATE = 0x58 // 'X'
const QUERY = 0x51 // 'Q'
const PARSE = 0x50 // 'P'
const NOTIFICATION = 0x41 // 'A'

/** A frontend message: type byte, then an Int32 length that counts itself and the body. */
const frontendMessage = (type: string, body = Buffer.alloc(0)) => {
  const header = Buffer.alloc(5)
  header.write(type, 0, 'latin1')
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}
// Left over by a connection that went away while holding the session: Sync ends its unfinished query,
// then its open transaction, if any, is rolled back.
const SYNC = frontendMessage('S')
const ROLLBACK = frontendMessage('Q', Buffer.from('rollback\0'))

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
  const db = await PGlite.create(dataDir)

  const exec = async (message: Uint8Array) => {
    const chunks: Buffer[] = []
    // PGlite hands out views into its WASM heap: copy them before the next call reuses it.
    await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: (data) => chunks.push(Buffer.from(data)) }))
    return Buffer.concat(chunks)
  }

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
      for (const [listener, names] of channels) if (names.has(channel) && !listener.destroyed) listener.write(notification)
    }
    return Buffer.concat(messages.filter((m) => m[0] !== NOTIFICATION))
  }

  function serve(socket: net.Socket) {
    const who = {}
    let pending = Buffer.alloc(0)
    let started = false // the startup message (no type byte) has been handled
    let open = false // this connection has a query or transaction in progress on the session
    let closed = false

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
      await take(who)
      const command = listenCommand(message)
      if (command) {
        const names = channels.get(socket) ?? new Set<string>()
        if (command.listen) names.add(command.channel)
        else names.delete(command.channel)
        channels.set(socket, names)
      }
      const reply = routeNotifications(await exec(message))
      if (!socket.destroyed) socket.write(reply)
      // A message with no reply (Flush, or one skipped after an error until Sync) changes nothing.
      if (reply.length > 0) open = finalReadyStatus(reply) !== 'I'
      if (!open) handOver()
    }

    const drain = async () => {
      for (let message = next(); message && !closed; message = next()) {
        if (!started) {
          const code = message.length >= 8 ? message.readInt32BE(4) : 0
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N') // plain connections only
          else if (code === CANCEL_REQUEST) socket.end() // nothing to cancel: a query runs to its end
          else {
            await run(message)
            started = true
          }
        } else if (message[0] === TERMINATE) socket.end()
        else await run(message)
      }
    }

    const leave = async () => {
      if (holder !== who) return
      try {
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
      pending = Buffer.concat([pending, chunk])
      turn = turn.then(drain).catch(fail)
    })
    socket.on('error', () => {}) // 'close' follows
    const done = new Promise<void>((resolve) =>
      socket.on('close', () => {
        closed = true
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
      await db.close()
    },
  }
}
