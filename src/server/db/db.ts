// The process-wide database handle, built from configuration on first use.
import { config } from '@/server/config'
import { createDb, dbTimeouts, preparesStatements, type Db } from './create-db'

const globalForDb = globalThis as unknown as { conversaDb?: Db }

export function db(): Db {
  // Kept on globalThis so Next.js dev reloads reuse one pool instead of leaking connections.
  globalForDb.conversaDb ??= createDb(config().DATABASE_URL, {
    max: config().DATABASE_POOL_MAX,
    timeouts: dbTimeouts(config()),
    prepare: preparesStatements(config()),
  })
  return globalForDb.conversaDb
}
