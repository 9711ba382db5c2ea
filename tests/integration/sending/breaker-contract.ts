// One behaviour for every CircuitBreaker adapter.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CircuitBreaker } from '@/core/sending/circuit-breaker'
import { stillBefore } from './job-queue-contract'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const policy = { threshold: 3, openMs: 300 }

export function breakerContract(label: string, make: () => CircuitBreaker) {
  describe(`CircuitBreaker contract: ${label}`, () => {
    it('stays closed below the threshold and a success resets the count', async () => {
      const b = make()
      const k = `n:${randomUUID()}`
      expect(await b.acquire(k, policy)).toEqual({ allowed: true, probe: false })
      await b.failure(k, policy)
      expect((await b.failure(k, policy)).phase).toBe('closed')
      await b.success(k)
      await b.failure(k, policy)
      expect(await b.failure(k, policy)).toMatchObject({ phase: 'closed', failures: 2 })
      expect((await b.states([k]))[k]).toMatchObject({ phase: 'closed', failures: 2, retryAt: null })
    })

    it('opens at the threshold, refuses until openMs, then lets exactly one probe through', async () => {
      const b = make()
      const k = `n:${randomUUID()}`
      // Open from the third failure for openMs: refused until then, a probe let through after.
      const openUntil = Date.now() + policy.openMs
      for (let i = 0; i < 3; i++) await b.failure(k, policy)
      const open = await b.acquire(k, policy)
      if (stillBefore(openUntil)) expect(open.allowed).toBe(false)
      if (!open.allowed) expect(open.retryInMs).toBeGreaterThan(openUntil - Date.now() - 1)
      expect((await b.states([k]))[k]!.phase).toBe(open.allowed ? 'half_open' : 'open')
      await sleep(350)
      const decisions = await Promise.all(Array.from({ length: 5 }, () => b.acquire(k, policy)))
      expect(decisions.filter((d) => d.allowed)).toEqual([{ allowed: true, probe: true }])
      expect((await b.states([k]))[k]!.phase).toBe('half_open')
      await b.success(k)
      expect(await b.acquire(k, policy)).toEqual({ allowed: true, probe: false })
      expect((await b.states([k]))[k]).toMatchObject({ phase: 'closed', failures: 0 })
    })

    it('reopens when the probe fails, and grants a new probe if a prober vanishes', async () => {
      const b = make()
      const k = `n:${randomUUID()}`
      for (let i = 0; i < 3; i++) await b.failure(k, policy)
      await sleep(350)
      expect(await b.acquire(k, policy)).toEqual({ allowed: true, probe: true })
      const reopenedUntil = Date.now() + policy.openMs
      expect((await b.failure(k, policy)).phase).toBe('open')
      const reopened = await b.acquire(k, policy)
      if (stillBefore(reopenedUntil)) expect(reopened.allowed).toBe(false)
      await sleep(350)
      // The prober never reports back: after another openMs someone else may probe.
      const probingUntil = Date.now() + policy.openMs
      expect(await b.acquire(k, policy)).toEqual({ allowed: true, probe: true })
      const meanwhile = await b.acquire(k, policy)
      if (stillBefore(probingUntil)) expect(meanwhile.allowed).toBe(false)
      await sleep(350)
      expect(await b.acquire(k, policy)).toEqual({ allowed: true, probe: true })
    })

    it('reports unknown keys as closed', async () => {
      const b = make()
      const k = `n:${randomUUID()}`
      expect((await b.states([k]))[k]).toEqual({ phase: 'closed', failures: 0, retryAt: null })
    })
  })
}
