// Quiet hours in the recipient's local time: no campaign message between `start` and `end` (the span
// may wrap midnight). Answers when a recipient may be messaged again.
import type { QuietHours } from './campaign-schemas'

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/** The wall-clock minute of the day in `timeZone` at `at`. */
function localMinute(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return get('hour') * 60 + get('minute')
}

/** Ms until quiet hours end in `timeZone` at `at`, or 0 when it is not quiet there now. */
export function quietForMs(quiet: QuietHours, timeZone: string, at: Date): number {
  const start = minutesOf(quiet.start)
  const end = minutesOf(quiet.end)
  const now = localMinute(at, timeZone)
  const inside = start < end ? now >= start && now < end : now >= start || now < end
  if (!inside) return 0
  const minutesLeft = (end - now + 24 * 60) % (24 * 60)
  // Whole minutes from the current one: shift by the seconds already gone in this minute.
  return minutesLeft * 60_000 - (at.getUTCSeconds() * 1000 + at.getUTCMilliseconds())
}
