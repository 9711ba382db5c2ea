// A seeded PRNG (mulberry32) for every chance decision the emulator makes — jitter, loss, duplication,
// reordering — so a test with a fixed seed and the same sequence of sends sees the same outcome.
export interface Prng {
  next(): number
  chance(rate: number): boolean
  upTo(max: number): number
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    // Always draws, even at rate 0 or 1, so changing one rate does not shift the other decisions.
    chance: (rate) => next() < rate,
    upTo: (max) => next() * Math.max(0, max),
  }
}
