import { afterEach, describe, expect, it, vi } from 'vitest'
import { MetaWindow } from '@/core/sending/meta-window'
import { createPrng } from '../../../dev/meta-emulator/prng'

const MPS = 100

/** The most of `arrivals` (ms) that fall in any one-second window, as Meta counts them. */
function busiestSecondAtMeta(arrivals: number[]) {
  const sorted = [...arrivals].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - 1000) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

/**
 * A worker that wants to send faster than the MPS, tick by tick (1 ms), through a network whose requests
 * mostly take 1–3 ms each way but every 400 ms are held up to 80 ms and then arrive together (a stalled
 * event loop or socket). `gate` decides whether a send may leave at a tick.
 */
function simulate(seed: number, gate: { depart(now: number): number; answer(now: number): void }) {
  const rnd = createPrng(seed)
  const arrivals: number[] = []
  const answers: number[] = []
  let wanted = 0
  for (let t = 0; t < 10_000; t++) {
    answers.sort((a, b) => a - b)
    while (answers.length && answers[0]! <= t) {
      answers.shift()
      gate.answer(t)
    }
    wanted += (MPS * 1.3) / 1000
    for (; wanted >= 1 && gate.depart(t) === 0; wanted--) {
      const stallEnds = Math.floor(t / 400) * 400 + 80
      const reachesMeta = Math.max(t + 1 + rnd.upTo(2), rnd.chance(0.5) && t < stallEnds ? stallEnds : 0)
      arrivals.push(reachesMeta)
      answers.push(reachesMeta + 1 + rnd.upTo(2))
    }
  }
  return arrivals
}

describe("Meta's throughput window as the worker sees it", () => {
  it('never lets Meta count more than the MPS in a second, however the requests bunch on their way', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const arrivals = simulate(seed, new MetaWindow(MPS))
      expect(busiestSecondAtMeta(arrivals)).toBeLessThanOrEqual(MPS)
      // It still sends close to the tier: a place is held one round trip longer than Meta holds it.
      expect(arrivals.length / 10).toBeGreaterThan(MPS * 0.95)
    }
  })

  it('is needed: counting sends at departure alone lets the same bunching exceed the MPS', () => {
    const departures: number[] = []
    const atDeparture = {
      depart(now: number) {
        while (departures.length && departures[0]! <= now - 1000) departures.shift()
        if (departures.length >= MPS) return departures[0]! + 1000 - now
        departures.push(now)
        return 0
      },
      answer() {},
    }
    expect(busiestSecondAtMeta(simulate(1, atDeparture))).toBeGreaterThan(MPS)
  })

  it('frees a place one second after its answer, and waits a full second while every place is in flight', () => {
    const window = new MetaWindow(2)
    expect(window.depart(0)).toBe(0)
    expect(window.depart(0)).toBe(0)
    expect(window.depart(5)).toBe(1000)
    window.answer(10)
    expect(window.depart(500)).toBe(511)
    expect(window.depart(1010)).toBe(0)
    expect(window.depart(1010)).toBe(1000)
  })

  describe('take', () => {
    afterEach(() => vi.useRealTimers())

    it('serves waiting sends in the order they asked, as places free', async () => {
      vi.useFakeTimers({ now: 0 })
      const window = new MetaWindow(1)
      const served: string[] = []
      await window.take()
      void window.take().then(() => served.push('second'))
      void window.take().then(() => served.push('third'))
      await vi.advanceTimersByTimeAsync(5_000)
      expect(served).toEqual([])
      window.answer(Date.now())
      await vi.advanceTimersByTimeAsync(999)
      expect(served).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      expect(served).toEqual(['second'])
      window.answer(Date.now())
      await vi.advanceTimersByTimeAsync(1_000)
      expect(served).toEqual(['second', 'third'])
    })
  })
})
