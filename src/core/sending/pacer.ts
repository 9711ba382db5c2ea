// The Pacer port: the rates Meta enforces, shared by every worker through one store.
// - Throughput: each number sends at most its MPS. `reserve` hands out consecutive send slots spaced
//   1000/rate ms apart (GCRA: one "next free slot" per key), so workers together never exceed it.
//   After a 130429 the number's rate is cut (`slowDown`) and recovers linearly over `recoveryMs`.
// - Pair rate: one message per interval to the same customer, with a small burst (`tryTake`).
// - Messaging limit: unique customers reached outside a service window in a moving 24 h, per business
//   portfolio and shared by all its numbers (`admitUnique`).
export interface RateState {
  /** The fraction of the configured rate currently allowed, 0 < factor ≤ 1. */
  factor: number
  /** Ms from now until the next free slot (0 when idle). */
  backlogMs: number
}

export interface Pacer {
  /** Reserves `count` consecutive slots at `perSecond` × the key's current factor; answers ms until the first. */
  reserve(key: string, perSecond: number, count: number): Promise<number>
  /** Multiplies the key's rate factor by `by` (floor 0.05); it climbs back to 1 over `recoveryMs`. */
  slowDown(key: string, by: number, recoveryMs: number): Promise<number>
  rateStates(keys: string[]): Promise<Record<string, RateState>>
  /** Takes one event if `key` has credit (one per `intervalMs`, at most `burst` saved) and answers 0; else ms until it has, taking nothing. */
  tryTake(key: string, intervalMs: number, burst: number): Promise<number>
  /** tryTake for many keys in one round trip, in order (a key listed twice takes twice); answers each wait. */
  tryTakeMany(keys: string[], intervalMs: number, burst: number): Promise<number[]>
  /** Counts `member` in `key`'s moving window: 0 when admitted (or counted already within the window), else ms until a place frees. */
  admitUnique(key: string, member: string, limit: number, windowMs: number): Promise<number>
  /** Distinct members counted in the window now. */
  uniqueCount(key: string, windowMs: number): Promise<number>
}
