// DB_*_TIMEOUT_MS: the limits the app and the worker send with every database connection.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dbTimeouts } from '@/server/db/create-db'

const env = process.env

async function timeoutsWith(extra: Record<string, string>) {
  vi.resetModules()
  process.env = {
    ...env,
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none',
    JWT_SECRET: 'x'.repeat(32),
    ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    META_APP_SECRET: 'a'.repeat(16),
    META_VERIFY_TOKEN: 'verify-token',
    ...extra,
  }
  const { config } = await import('@/server/config')
  return () => dbTimeouts(config())
}

afterEach(() => {
  process.env = env
})

describe('database timeouts configuration', () => {
  it('bounds statements at 30 s, lock waits at 5 s and idle transactions at 60 s by default', async () => {
    expect((await timeoutsWith({}))()).toEqual({ statementMs: 30_000, lockMs: 5_000, idleInTransactionMs: 60_000 })
  })

  it('takes each from its variable, 0 turning it off', async () => {
    const timeouts = await timeoutsWith({ DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: '250', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000' })
    expect(timeouts()).toEqual({ statementMs: 0, lockMs: 250, idleInTransactionMs: 120_000 })
  })

  it('refuses a negative or fractional value', async () => {
    expect(await timeoutsWith({ DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/)
    expect(await timeoutsWith({ DB_LOCK_TIMEOUT_MS: '1.5' })).toThrow(/DB_LOCK_TIMEOUT_MS/)
  })
})
