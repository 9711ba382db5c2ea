// DB_*_TIMEOUT_MS: the limits the app and the worker send with every database connection.
import { afterEach, describe, expect, it } from 'vitest'
import { dbTimeouts } from '@/server/db/create-db'
import { configWith } from '../support/config-with'

const env = process.env

async function timeoutsWith(extra: Record<string, string>) {
  const config = await configWith(extra, env)
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
