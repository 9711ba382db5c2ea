// PGlite runs each statement to its end without yielding to the event loop (measured: no timer fires
// during `select pg_sleep(2)`). On the embedded server's own thread that would freeze the server with it,
// so no deadline could fire and no waiting connection could be answered. It runs on a worker thread
// instead, and this is the server's side of it: one message in, PGlite's whole reply out.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'

export interface PgliteThread {
  exec(message: Uint8Array): Promise<Buffer>
  close(): Promise<void>
}

type Answer = { id: number; reply?: Uint8Array; error?: string }

export async function startPgliteThread(dataDir: string): Promise<PgliteThread> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir } })
  await once(worker, 'message') // ready; an 'error' (the database would not open) rejects instead

  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>()
  let lastId = 0
  let failure: Error | undefined
  const failAll = (error: Error) => {
    failure ??= error
    for (const call of waiting.values()) call.reject(failure)
    waiting.clear()
  }
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`the PGlite thread exited with code ${code}`)))
  worker.on('message', (answer: Answer) => {
    waiting.get(answer.id)?.resolve(answer)
    waiting.delete(answer.id)
  })

  const call = (message?: Uint8Array) =>
    new Promise<Answer>((resolve, reject) => {
      if (failure) return reject(failure)
      const id = ++lastId
      waiting.set(id, { resolve, reject })
      worker.postMessage({ id, message })
    })

  return {
    async exec(message) {
      const { reply, error } = await call(message)
      if (error !== undefined) throw new Error(`PGlite: ${error}`)
      return Buffer.from(reply!.buffer, reply!.byteOffset, reply!.byteLength)
    },
    async close() {
      await call() // closes the database
      await worker.terminate()
    },
  }
}
