// Wall-clock times in a named time zone and the instants they stand for, with Intl alone: the schedule
// picker reads and writes the tenant's local time, while the API takes an ISO instant with its offset.
const pad = (n: number) => String(n).padStart(2, '0')
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

function wallClock(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
}

/** Minutes the zone is ahead of UTC at that instant (negative west of Greenwich). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone)
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((wallAsUtc - Math.floor(ms / 1000) * 1000) / 60_000)
}

/** 330 → "+05:30", -180 → "-03:00". */
export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** The zone with its current offset, as the picker shows it: "Asia/Kolkata (UTC+05:30)". */
export function zoneLabel(timeZone: string, ms = Date.now()): string {
  return `${timeZone} (UTC${formatOffset(zoneOffsetMinutes(ms, timeZone))})`
}

/** The instant as ISO 8601 in the zone's wall-clock time with its offset: "2026-12-01T09:00:00+05:30". */
export function isoInZone(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(zoneOffsetMinutes(ms, timeZone))}`
}

/** The instant as a `datetime-local` value ("YYYY-MM-DDTHH:mm") in the zone. */
export function zonedInputValue(ms: number, timeZone: string): string {
  return isoInZone(ms, timeZone).slice(0, 16)
}

/**
 * A `datetime-local` value read as wall-clock time in `timeZone`, as an ISO instant with offset; null when
 * malformed. A time a daylight-saving jump skips lands just after the jump (02:30 becomes 03:30).
 */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const m = LOCAL_INPUT.exec(value)
  if (!m) return null
  const wallAsUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
  if (Number.isNaN(wallAsUtc)) return null
  // The offset depends on the instant we are looking for: guess with the offset at the wall time read as
  // UTC, then correct once with the offset at the guess. Only a skipped wall time fails the second check.
  const first = wallAsUtc - zoneOffsetMinutes(wallAsUtc, timeZone) * 60_000
  const second = wallAsUtc - zoneOffsetMinutes(first, timeZone) * 60_000
  const exact = zonedInputValue(second, timeZone) === value.slice(0, 16)
  return isoInZone(exact ? second : first, timeZone)
}
