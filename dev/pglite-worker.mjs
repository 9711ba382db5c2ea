// The body of the PGlite thread (dev/pglite-thread.ts): opens the database, then runs each wire-protocol
// message it is sent and posts back the whole reply, one message at a time. Plain JavaScript, because a
// worker thread loads its file without the TypeScript loader of the process that starts it.
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

const db = await PGlite.create(workerData.dataDir)

parentPort.on('message', async ({ id, message }) => {
  try {
    if (message === undefined) {
      await db.close()
      parentPort.postMessage({ id })
      return
    }
    const chunks = []
    // PGlite hands out views into its WASM heap: copy them before the next call reuses it.
    await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: (data) => chunks.push(Buffer.from(data)) }))
    parentPort.postMessage({ id, reply: Buffer.concat(chunks) })
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
parentPort.postMessage({ ready: true })
