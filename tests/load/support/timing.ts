// Figures over measured times, shared by the load tests and the benchmarks.

/** The most events in any 1-second window of sorted epoch-ms times. */
export function busiestSecond(sortedTimes: number[]) {
  let best = 0
  for (let i = 0, j = 0; i < sortedTimes.length; i++) {
    while (sortedTimes[i]! - sortedTimes[j]! >= 1000) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

/** The p-th percentile of sorted values (nearest rank). */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
