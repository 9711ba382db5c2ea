// PGlite (Postgres compiled to WASM) persisted under .data/, served over the Postgres wire protocol
// so the app and the worker connect with the same client they use against a real server.
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export async function startEmbeddedPostgres(dataDir: string, port: number) {
  await mkdir(dataDir, { recursive: true })
  const db = await PGlite.create(dataDir)
  // The server multiplexes clients by serialising whole transactions; room for app + worker pools.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 32 })
  await server.start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
