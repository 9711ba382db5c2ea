// One behaviour for every Pacer adapter. A store answers from its own clock, at the moment it ran the
// call: somewhere between when the test sent it and when the answer came back. So the tests bound a
// wait by what the store promised less the time they measured since, and check what holds only for a
// while (a member still counted) only when that while cannot have passed: the assertions follow from
// the store's rules however slowly a loaded machine runs the test.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Pacer } from '@/core/sending/pacer'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const key = (name: string) => `${name}:${randomUUID()}`

/** Starts a stopwatch: the answer is the most time the store can have seen pass since it was started. */
function stopwatch() {
  const start = performance.now()
  return () => performance.now() - start
}

/** The rate factor `elapsedMs` after a cut to `cut`, climbing linearly back to 1 over `recoveryMs`. */
const recovered = (cut: number, recoveryMs: number, elapsedMs: number) => Math.min(1, cut + ((1 - cut) * elapsedMs) / recoveryMs)

// Stores keep times and factors rounded (a factor may travel as text with 6 decimals).
const FACTOR_ROUNDING = 1e-5

export function pacerContract(label: string, make: () => Pacer) {
  describe(`Pacer contract: ${label}`, () => {
    it('hands out consecutive slots at the rate, shared by concurrent callers', async () => {
      const p = make()
      const k = key('number')
      // 20 per second → a slot every 50 ms, whoever asks.
      const elapsed = stopwatch()
      const waits = await Promise.all(Array.from({ length: 10 }, () => p.reserve(k, 20, 1)))
      // Each call answers the time from the moment the store ran it, somewhere within `spread`, to its
      // slot: slots 50 ms apart give waits at least 50 ms - spread apart (rounded up, so less 1 ms).
      const spread = elapsed()
      waits.sort((a, b) => a - b)
      expect(waits[0]).toBeLessThan(30)
      for (let i = 1; i < waits.length; i++) expect(waits[i]! - waits[i - 1]!).toBeGreaterThanOrEqual(50 - spread - 1)
      // The tenth slot is 450 ms after the first, which came no earlier than the first call.
      expect(waits.at(-1)).toBeGreaterThanOrEqual(450 - spread)
      expect(waits.at(-1)).toBeLessThan(520)
    })

    it('reserves several slots at once and does not bank idle time as a burst', async () => {
      const p = make()
      const k = key('number')
      // Books `count` slots at 100/s at once: the next free slot is count × 10 ms after the first of
      // them, less the time the two calls took.
      const expectBlockOf = async (count: number) => {
        const elapsed = stopwatch()
        expect(await p.reserve(k, 100, count)).toBeLessThan(20)
        const next = await p.reserve(k, 100, 1)
        expect(next).toBeGreaterThanOrEqual(count * 10 - elapsed())
        expect(next).toBeLessThan(count * 10 + 20)
      }
      await expectBlockOf(5)
      await sleep(300)
      // 300 ms idle is 30 slots' worth: booking 30 still pushes the next one 300 ms out, as on a
      // fresh number, where a banked burst would leave it free at once.
      await expectBlockOf(30)
    })

    it('slows a number down after throttling and lets it recover', async () => {
      const p = make()
      const k = key('number')
      const sinceFirstCut = stopwatch()
      expect(await p.slowDown(k, 0.5, 400)).toBeCloseTo(0.5, 1)
      const sinceSecondCut = stopwatch()
      // Halves the factor wherever it had recovered to since the first cut.
      const cut = await p.slowDown(k, 0.5, 400)
      expect(cut).toBeGreaterThanOrEqual(0.25)
      expect(cut).toBeLessThanOrEqual(0.5 * recovered(0.5, 400, sinceFirstCut()) + FACTOR_ROUNDING)
      const sinceReserve = stopwatch()
      await p.reserve(k, 100, 1)
      const next = await p.reserve(k, 100, 1)
      // At a quarter of 100/s the next slot is ~40 ms away, not 10: 10 ms over the factor the first
      // reservation saw, less the time between the two.
      expect(next).toBeGreaterThanOrEqual(10 / recovered(cut, 400, sinceSecondCut()) - sinceReserve())
      const [state] = Object.values(await p.rateStates([k]))
      expect(state!.factor).toBeGreaterThanOrEqual(cut)
      expect(state!.factor).toBeLessThanOrEqual(recovered(cut, 400, sinceSecondCut()) + FACTOR_ROUNDING)
      await sleep(500)
      expect((await p.rateStates([k]))[k]!.factor).toBe(1)
      const idle = key('idle')
      expect((await p.rateStates([idle]))[idle]).toEqual({ factor: 1, backlogMs: 0 })
    })

    it('takes pair-rate credit with a burst and refuses without consuming', async () => {
      const p = make()
      const k = key('pair')
      // A new pair has a full burst of 2 and earns one credit per 200 ms from its first take on: after
      // n takes, the next credit is there (n - 1) × 200 ms after the first, less the time since.
      const sinceFirstTake = stopwatch()
      expect(await p.tryTake(k, 200, 2)).toBe(0)
      expect(await p.tryTake(k, 200, 2)).toBe(0)
      const wait = await p.tryTake(k, 200, 2)
      expect(wait).toBeGreaterThanOrEqual(200 - sinceFirstTake())
      expect(wait).toBeLessThanOrEqual(200)
      const again = await p.tryTake(k, 200, 2)
      expect(again).toBeGreaterThanOrEqual(200 - sinceFirstTake())
      await sleep(wait + 20)
      // The credit the refusals announced is there: refusing took nothing. (Only a test that stalled
      // for 200 ms would have seen one of them take a credit that had accrued meanwhile instead.)
      const taken = await p.tryTake(k, 200, 2)
      if (wait > 0 && again > 0) expect(taken).toBe(0)
      // However it went, three credits are gone by now.
      expect(await p.tryTake(k, 200, 2)).toBeGreaterThanOrEqual(400 - sinceFirstTake())
    })

    it('takes pair-rate credit for many keys at once, in order', async () => {
      const p = make()
      const a = key('pair')
      const b = key('pair')
      // A third take on a pair waits for the credit earned 300 ms after its first, less the time since.
      const sinceFirstTake = stopwatch()
      const waits = await p.tryTakeMany([a, b, a, a, b], 300, 2)
      expect(waits.slice(0, 4)).toEqual([0, 0, 0, expect.any(Number)])
      expect(waits[3]).toBeGreaterThanOrEqual(300 - sinceFirstTake())
      expect(waits[4]).toBe(0)
      expect(await p.tryTakeMany([], 300, 2)).toEqual([])
      expect(await p.tryTake(b, 300, 2)).toBeGreaterThanOrEqual(300 - sinceFirstTake())
    })

    it('admits unique members up to the limit in a moving window', async () => {
      const p = make()
      const k = key('portfolio')
      // A member counts for the 400 ms window from its admission, which came after its call was sent:
      // surely so while less than 400 ms have passed since then (a stalled test may only look later).
      const sinceAna = stopwatch()
      expect(await p.admitUnique(k, 'ana', 2, 400)).toBe(0)
      await sleep(100)
      const sinceBia = stopwatch()
      expect(await p.admitUnique(k, 'bia', 2, 400)).toBe(0)
      // Already reached inside the window: free.
      expect(await p.admitUnique(k, 'ana', 2, 400)).toBe(0)
      // Full: caio may come in when ana leaves, a window after her admission.
      const wait = await p.admitUnique(k, 'caio', 2, 400)
      expect(wait).toBeGreaterThanOrEqual(400 - sinceAna())
      expect(wait).toBeLessThanOrEqual(400)
      const whileFull = await p.uniqueCount(k, 400)
      if (sinceAna() < 400) expect(whileFull).toBe(2)
      await sleep(wait + 30)
      expect(await p.admitUnique(k, 'caio', 2, 400)).toBe(0)
      // ana has left; bia, and caio after her, still count.
      const afterAna = await p.uniqueCount(k, 400)
      if (sinceBia() < 400) expect(afterAna).toBe(2)
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
