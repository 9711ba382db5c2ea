// A private database for one test file, cloned from the migrated template and dropped afterwards.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createDb, type Db } from '@/server/db/create-db'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from './assert-local-database'

export interface TestDatabase {
  db: Db
  url: string
  drop(): Promise<void>
}

export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const base = testDatabaseUrl()
  assertLocalDatabase(base)
  const name = `conversa_test_${randomBytes(6).toString('hex')}`
  const admin = createDb(base, { max: 1 })
  await admin.sql.unsafe(options.empty ? `create database ${name}` : `create database ${name} template ${inject('templateDatabase')}`)
  const url = withDatabase(base, name)
  const db = createDb(url, { max: 4 })
  return {
    db,
    url,
    async drop() {
      await db.end()
      await admin.sql.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
