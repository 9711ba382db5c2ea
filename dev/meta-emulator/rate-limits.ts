// The two send limits Meta enforces per number: throughput (a sliding 1-second window of `mps` accepted
// messages, else 130429) and the pair rate, else 131056. Meta allows about one message per 6 s to the
// same customer but lets a burst (up to 45) borrow from future quota, so the pair rate is a token bucket
// refilled one message per `pairRateWindowMs` and holding at most `pairRateBurst`.
// Checks don't consume; only an accepted send is recorded, so rejections never count.
import { pairKey, type EmulatorState, type RegisteredNumber } from './emulator-state'

const WINDOW_MS = 1000

function recentSends(state: EmulatorState, phoneNumberId: string, now: number): number[] {
  const times = state.sendTimes.get(phoneNumberId) ?? []
  let drop = 0
  while (drop < times.length && times[drop]! <= now - WINDOW_MS) drop++
  if (drop) times.splice(0, drop)
  state.sendTimes.set(phoneNumberId, times)
  return times
}

export function throughputAvailable(state: EmulatorState, number: RegisteredNumber, now: number): boolean {
  return recentSends(state, number.phoneNumberId, now).length < number.mps
}

function pairCredit(state: EmulatorState, key: string, now: number): number {
  const { pairRateWindowMs: window, pairRateBurst: burst } = state.config
  const bucket = state.pairCredit.get(key)
  if (!bucket) return burst
  return Math.min(burst, bucket.credit + (now - bucket.at) / window)
}

export function pairRateAvailable(state: EmulatorState, number: RegisteredNumber, waId: string, now: number): boolean {
  if (state.config.pairRateWindowMs <= 0) return true
  return pairCredit(state, pairKey(number.phoneNumberId, waId), now) >= 1
}

export function recordSend(state: EmulatorState, number: RegisteredNumber, waId: string, now: number) {
  recentSends(state, number.phoneNumberId, now).push(now)
  if (state.config.pairRateWindowMs <= 0) return
  const key = pairKey(number.phoneNumberId, waId)
  state.pairCredit.set(key, { credit: pairCredit(state, key, now) - 1, at: now })
}
