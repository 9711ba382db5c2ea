// One behaviour for every Pacer adapter. Times are loose (± tens of ms): stores use their own clock.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Pacer } from '@/core/sending/pacer'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const key = (name: string) => `${name}:${randomUUID()}`

export function pacerContract(label: string, make: () => Pacer) {
  describe(`Pacer contract: ${label}`, () => {
    it('hands out consecutive slots at the rate, shared by concurrent callers', async () => {
      const p = make()
      const k = key('number')
      // 20 per second → a slot every 50 ms, whoever asks.
      const waits = await Promise.all(Array.from({ length: 10 }, () => p.reserve(k, 20, 1)))
      waits.sort((a, b) => a - b)
      expect(waits[0]).toBeLessThan(30)
      for (let i = 1; i < waits.length; i++) expect(waits[i]! - waits[i - 1]!).toBeGreaterThan(35)
      expect(waits.at(-1)).toBeGreaterThan(400)
      expect(waits.at(-1)).toBeLessThan(520)
    })

    it('reserves several slots at once and does not bank idle time as a burst', async () => {
      const p = make()
      const k = key('number')
      expect(await p.reserve(k, 100, 5)).toBeLessThan(20)
      const next = await p.reserve(k, 100, 1)
      expect(next).toBeGreaterThan(35)
      expect(next).toBeLessThan(70)
      await sleep(300)
      expect(await p.reserve(k, 100, 1)).toBeLessThan(20)
      expect(await p.reserve(k, 100, 1)).toBeGreaterThan(0)
    })

    it('slows a number down after throttling and lets it recover', async () => {
      const p = make()
      const k = key('number')
      expect(await p.slowDown(k, 0.5, 400)).toBeCloseTo(0.5, 1)
      expect(await p.slowDown(k, 0.5, 400)).toBeCloseTo(0.25, 1)
      await p.reserve(k, 100, 1)
      // At a quarter of 100/s the next slot is ~40 ms away, not 10.
      expect(await p.reserve(k, 100, 1)).toBeGreaterThan(25)
      const [state] = Object.values(await p.rateStates([k]))
      expect(state!.factor).toBeGreaterThan(0.2)
      expect(state!.factor).toBeLessThan(0.5)
      await sleep(500)
      expect((await p.rateStates([k]))[k]!.factor).toBe(1)
      const idle = key('idle')
      expect((await p.rateStates([idle]))[idle]).toEqual({ factor: 1, backlogMs: 0 })
    })

    it('takes pair-rate credit with a burst and refuses without consuming', async () => {
      const p = make()
      const k = key('pair')
      expect(await p.tryTake(k, 200, 2)).toBe(0)
      expect(await p.tryTake(k, 200, 2)).toBe(0)
      const wait = await p.tryTake(k, 200, 2)
      expect(wait).toBeGreaterThan(100)
      expect(wait).toBeLessThanOrEqual(200)
      expect(await p.tryTake(k, 200, 2)).toBeGreaterThan(100)
      await sleep(wait + 20)
      expect(await p.tryTake(k, 200, 2)).toBe(0)
      expect(await p.tryTake(k, 200, 2)).toBeGreaterThan(0)
    })

    it('takes pair-rate credit for many keys at once, in order', async () => {
      const p = make()
      const a = key('pair')
      const b = key('pair')
      const waits = await p.tryTakeMany([a, b, a, a, b], 300, 2)
      expect(waits.slice(0, 4)).toEqual([0, 0, 0, expect.any(Number)])
      expect(waits[3]).toBeGreaterThan(150)
      expect(waits[4]).toBe(0)
      expect(await p.tryTakeMany([], 300, 2)).toEqual([])
      expect(await p.tryTake(b, 300, 2)).toBeGreaterThan(150)
    })

    it('admits unique members up to the limit in a moving window', async () => {
      const p = make()
      const k = key('portfolio')
      expect(await p.admitUnique(k, 'ana', 2, 400)).toBe(0)
      await sleep(100)
      expect(await p.admitUnique(k, 'bia', 2, 400)).toBe(0)
      // Already reached inside the window: free.
      expect(await p.admitUnique(k, 'ana', 2, 400)).toBe(0)
      const wait = await p.admitUnique(k, 'caio', 2, 400)
      expect(wait).toBeGreaterThan(200)
      expect(wait).toBeLessThanOrEqual(400)
      expect(await p.uniqueCount(k, 400)).toBe(2)
      await sleep(wait + 30)
      expect(await p.admitUnique(k, 'caio', 2, 400)).toBe(0)
      expect(await p.uniqueCount(k, 400)).toBe(2)
    })

    it('admits exactly the limit when many members race', async () => {
      const p = make()
      const k = key('portfolio')
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => p.admitUnique(k, `c${i}`, 10, 60_000)))
      expect(results.filter((w) => w === 0)).toHaveLength(10)
      expect(await p.uniqueCount(k, 60_000)).toBe(10)
    })
  })
}
