import { describe, expect, it } from 'vitest'
import { backoffMs, decideOnFailure, type RetryPolicy } from '@/core/sending/failure-policy'
import { classifyGraphError } from '@/core/whatsapp/graph-errors'

const policy: RetryPolicy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 5 }
const meta = (code: number, httpStatus = 400) => classifyGraphError({ httpStatus, body: { error: { code, message: `(#${code}) x`, error_data: { details: 'd' } } } })

describe('backoff with decorrelated jitter', () => {
  it('stays between the base and a ceiling that triples per attempt, capped', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(1_000)
    expect(backoffMs(1, policy, () => 1)).toBe(1_000)
    expect(backoffMs(2, policy, () => 1)).toBe(3_000)
    expect(backoffMs(3, policy, () => 1)).toBe(9_000)
    expect(backoffMs(10, policy, () => 1)).toBe(60_000)
    expect(backoffMs(3, policy, () => 0.5)).toBe(5_000)
  })

  it('spreads jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(4, policy)))
    expect(delays.size).toBeGreaterThan(40)
  })
})

describe('what a failed send does next', () => {
  it('retries a transient error with backoff and counts it against the breaker', () => {
    expect(decideOnFailure(meta(131000, 500), 1, policy, () => 0)).toEqual({ action: 'retry', delayMs: 1_000, breakerFailure: true, slowNumber: false })
    expect(decideOnFailure(classifyGraphError({ cause: new Error('socket hang up') }), 2, policy, () => 1)).toMatchObject({ action: 'retry', delayMs: 3_000, breakerFailure: true })
  })

  it('waits about a minute on 131057', () => {
    expect(decideOnFailure(meta(131057), 1, policy, () => 0)).toMatchObject({ action: 'retry', delayMs: 60_000, breakerFailure: true })
  })

  it('slows the number on 130429 without blaming its health', () => {
    expect(decideOnFailure(meta(130429), 1, policy, () => 0.9)).toEqual({ action: 'retry', delayMs: 1_000, breakerFailure: false, slowNumber: true })
  })

  it('delays only the customer on 131056, ×4 each time, without slowing the number', () => {
    expect(decideOnFailure(meta(131056), 1, policy)).toEqual({ action: 'retry', delayMs: 6_000, breakerFailure: false, slowNumber: false })
    expect(decideOnFailure(meta(131056), 2, policy)).toMatchObject({ delayMs: 24_000 })
    expect(decideOnFailure(meta(131056), 3, policy)).toMatchObject({ delayMs: 60_000 })
  })

  it('counts an auth failure against the breaker and retries it (a reconnect can fix it)', () => {
    expect(decideOnFailure(meta(190, 401), 1, policy, () => 0)).toMatchObject({ action: 'retry', breakerFailure: true })
  })

  it('never retries permanent or policy errors', () => {
    for (const code of [131047, 131026, 100, 132001, 131048, 131049, 131050, 368]) expect(decideOnFailure(meta(code), 1, policy)).toEqual({ action: 'fail' })
  })

  it('dead-letters with the reason once attempts run out', () => {
    expect(decideOnFailure(meta(131000, 500), 5, policy)).toEqual({ action: 'dead', reason: 'gave up after 5 attempts: 131000 x', breakerFailure: true })
  })
})
