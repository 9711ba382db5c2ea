// Starts the stack for browser tests on a fresh database of the local PostgreSQL server, serving the
// production build when there is one (CI builds first) and `next dev` otherwise.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createDb } from '@/server/db/create-db'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../../integration/support/assert-local-database'

const base = testDatabaseUrl()
assertLocalDatabase(base)
const name = 'conversa_e2e'
const admin = createDb(base, { max: 1 })
await admin.sql.unsafe(`drop database if exists ${name} with (force)`)
await admin.sql.unsafe(`create database ${name}`)
await admin.end()
await rm('.data/e2e', { recursive: true, force: true })

const args = ['dev/start.ts', ...(existsSync('.next/BUILD_ID') ? ['--prod'] : [])]
const child = spawn('node_modules/.bin/tsx', args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: withDatabase(base, name), CONVERSA_DATA_DIR: '.data/e2e' },
})
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
