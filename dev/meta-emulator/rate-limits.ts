// The two send limits Meta enforces per number: throughput (a sliding 1-second window of `mps` accepted
// messages, else 130429) and the pair rate (one message to the same customer per `pairRateWindowMs`,
// else 131056). Checks don't consume; only an accepted send is recorded, so rejections never count.
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

export function pairRateAvailable(state: EmulatorState, number: RegisteredNumber, waId: string, now: number): boolean {
  const window = state.config.pairRateWindowMs
  if (window <= 0) return true
  const last = state.lastPairSend.get(pairKey(number.phoneNumberId, waId))
  return last === undefined || now - last >= window
}

export function recordSend(state: EmulatorState, number: RegisteredNumber, waId: string, now: number) {
  recentSends(state, number.phoneNumberId, now).push(now)
  state.lastPairSend.set(pairKey(number.phoneNumberId, waId), now)
}
