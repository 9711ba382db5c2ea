import { describe, expect, it } from 'vitest'
import { quietForMs } from '@/core/campaigns/quiet-hours'
import { recipientTimezone } from '@/core/campaigns/recipient-timezone'

describe('quietForMs', () => {
  const night = { start: '21:00', end: '08:00' }

  it('wraps midnight and answers the time until quiet hours end', () => {
    // 23:30 in São Paulo (UTC−3) is 02:30 UTC: 8 h 30 min until 08:00.
    expect(quietForMs(night, 'America/Sao_Paulo', new Date('2026-06-10T02:30:00Z'))).toBe(8.5 * 3600_000)
    // 07:59:30 local: 30 s left.
    expect(quietForMs(night, 'America/Sao_Paulo', new Date('2026-06-10T10:59:30Z'))).toBe(30_000)
  })

  it('is 0 outside quiet hours, at the end minute and for a daytime span', () => {
    expect(quietForMs(night, 'America/Sao_Paulo', new Date('2026-06-10T11:00:00Z'))).toBe(0)
    expect(quietForMs(night, 'America/Sao_Paulo', new Date('2026-06-10T23:59:00Z'))).toBe(0)
    expect(quietForMs({ start: '12:00', end: '14:00' }, 'Europe/Berlin', new Date('2026-01-10T12:30:00Z'))).toBe(30 * 60_000)
  })

  it('follows daylight saving: 21:00 in New York is 01:00 UTC in summer and 02:00 in winter', () => {
    expect(quietForMs(night, 'America/New_York', new Date('2026-07-01T01:00:00Z'))).toBe(11 * 3600_000)
    expect(quietForMs(night, 'America/New_York', new Date('2026-01-15T01:00:00Z'))).toBe(0)
  })
})

describe('recipientTimezone', () => {
  it('takes the zone of the number’s country, the most populous one for countries with several', () => {
    expect(recipientTimezone('5511987654321')).toBe('America/Sao_Paulo')
    expect(recipientTimezone('12125550123')).toBe('America/New_York')
    expect(recipientTimezone('4915112345678')).toBe('Europe/Berlin')
    expect(recipientTimezone('919876543210')).toBe('Asia/Kolkata')
  })

  it('is null when the number has no country', () => {
    expect(recipientTimezone('999')).toBeNull()
  })
})
