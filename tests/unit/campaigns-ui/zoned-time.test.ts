import { describe, expect, it } from 'vitest'
import { formatOffset, isoInZone, zonedInputToIso, zonedInputValue, zoneLabel, zoneOffsetMinutes } from '@/ui/campaigns/zoned-time'

describe('scheduling in the tenant time zone', () => {
  it('reads a wall-clock time in the zone as an instant with that zone’s offset', () => {
    expect(zonedInputToIso('2026-12-01T09:00', 'Asia/Kolkata')).toBe('2026-12-01T09:00:00+05:30')
    expect(zonedInputToIso('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T09:00:00-04:00')
    expect(zonedInputToIso('2026-12-01T09:00', 'America/New_York')).toBe('2026-12-01T09:00:00-05:00')
    expect(zonedInputToIso('2026-12-01T23:30', 'UTC')).toBe('2026-12-01T23:30:00+00:00')
    expect(new Date(zonedInputToIso('2026-12-01T09:00', 'Asia/Kolkata')!).toISOString()).toBe('2026-12-01T03:30:00.000Z')
  })

  it('moves a time skipped by the spring-forward jump to just after it, and keeps the earlier of a repeated hour', () => {
    expect(zonedInputToIso('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00')
    expect(zonedInputToIso('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00')
  })

  it('refuses values that are not datetime-local strings', () => {
    expect(zonedInputToIso('', 'UTC')).toBeNull()
    expect(zonedInputToIso('tomorrow at nine', 'UTC')).toBeNull()
  })

  it('shows an instant as the zone’s wall-clock time and names the zone with its offset', () => {
    const instant = Date.parse('2026-12-01T03:30:00Z')
    expect(zonedInputValue(instant, 'Asia/Kolkata')).toBe('2026-12-01T09:00')
    expect(isoInZone(instant, 'America/Sao_Paulo')).toBe('2026-12-01T00:30:00-03:00')
    expect(zoneOffsetMinutes(instant, 'Asia/Kathmandu')).toBe(345)
    expect(zoneLabel('Asia/Kolkata', instant)).toBe('Asia/Kolkata (UTC+05:30)')
    expect(formatOffset(-570)).toBe('-09:30')
    expect(formatOffset(0)).toBe('+00:00')
  })
})
