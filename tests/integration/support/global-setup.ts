// Builds one migrated template database per run; every test file clones it (CREATE DATABASE … TEMPLATE),
// so files never share data and none pays for migrations again.
import type { TestProject } from 'vitest/node'
import { createDb } from '@/server/db/create-db'
import { migrate } from '@/server/db/migrate'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from './assert-local-database'

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string
  }
}

export default async function setup(project: TestProject) {
  const url = testDatabaseUrl()
  assertLocalDatabase(url)
  const template = `conversa_test_template_${process.pid}`
  const admin = createDb(url, { max: 1 })
  await admin.sql.unsafe(`drop database if exists ${template}`)
  await admin.sql.unsafe(`create database ${template}`)
  const templateDb = createDb(withDatabase(url, template), { max: 1 })
  await migrate(templateDb.sql)
  await templateDb.end()
  project.provide('templateDatabase', template)

  return async () => {
    await admin.sql.unsafe(`drop database if exists ${template} with (force)`)
    await admin.end()
  }
}
