// Deeply nested JSON against PostgreSQL (see support/deep-json-suite.ts).
import { afterAll, beforeAll, describe } from 'vitest'
import { useRouteEnvironment } from '../integration/support/route-environment'
import { seedTenant, type SeededTenant } from '../integration/support/seed-tenant'
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database'
import { deepJsonProbes } from './support/deep-json-suite'

let t: TestDatabase
let tenant: SeededTenant

beforeAll(async () => {
  t = await createTestDatabase()
  useRouteEnvironment(t.url)
  tenant = await seedTenant(t.db, 'deep-pg')
})

afterAll(async () => {
  const { db } = await import('@/server/db/db')
  await db().end()
  await t?.drop()
})

describe('deeply nested JSON on PostgreSQL', () => deepJsonProbes({ db: () => t.db, tenant: () => tenant }))
