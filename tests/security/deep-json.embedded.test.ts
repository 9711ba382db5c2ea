// Deeply nested JSON against the embedded database of `npm run dev` (PGlite behind its socket), where
// a 50k-level body once left every session hung (see support/deep-json-suite.ts).
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { createDb, type Db } from '@/server/db/create-db'
import { migrate } from '@/server/db/migrate'
import { startEmbeddedPostgres } from '../../dev/embedded-postgres'
import { useRouteEnvironment } from '../integration/support/route-environment'
import { seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { deepJsonProbes } from './support/deep-json-suite'
import { freePort } from '../integration/support/free-port'

let dataDir: string
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>
let db: Db
let tenant: SeededTenant

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'deep-json-'))
  embedded = await startEmbeddedPostgres(dataDir, await freePort())
  db = createDb(embedded.url, { max: 2, prepare: false })
  await migrate(db.sql)
  useRouteEnvironment(embedded.url)
  tenant = await seedTenant(db, 'deep-embedded')
}, 120_000)

afterAll(async () => {
  const app = await import('@/server/db/db')
  await app.db().end()
  await db?.end()
  await embedded?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('deeply nested JSON on the embedded database', () => deepJsonProbes({ db: () => db, tenant: () => tenant }))
