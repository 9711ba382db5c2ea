import { describe, expect, it } from 'vitest'
import { describeAudience, formatDuration, formatMoney, percent, settledOf } from '@/ui/campaigns/campaign-format'
import { chunksOf, guessPhoneColumn, phonesOf } from '@/ui/campaigns/audience-upload'

describe('campaign figures on screen', () => {
  it('writes shares as whole percentages, with a decimal below ten and a dash for nothing sent', () => {
    expect(percent(42, 100)).toBe('42%')
    expect(percent(1, 3)).toBe('33%')
    expect(percent(5, 200)).toBe('2.5%')
    expect(percent(0, 10)).toBe('0%')
    expect(percent(3, 0)).toBe('—')
  })

  it('counts sent, failed and skipped recipients as done', () => {
    expect(settledOf({ sent: 70, failed: 5, skipped: 3 })).toBe(78)
  })

  it('writes durations in the largest sensible units', () => {
    expect(formatDuration(42)).toBe('42 s')
    expect(formatDuration(600)).toBe('10 min')
    expect(formatDuration(3720)).toBe('1 h 2 min')
    expect(formatDuration(7200)).toBe('2 h')
    expect(formatDuration(93_600)).toBe('1 d 2 h')
  })

  it('writes costs in their currency, keeping fractions of a cent readable', () => {
    expect(formatMoney(12.5, 'USD')).toBe('$12.50')
    expect(formatMoney(0.0125, 'EUR')).toBe('€0.0125')
    expect(formatMoney(3, 'NOT-A-CODE')).toBe('3.00 NOT-A-CODE')
  })

  it('says who an audience reaches in one sentence', () => {
    expect(describeAudience({ source: 'filter', includeTags: [], excludeTags: [], fields: [] }, 0)).toBe('All contacts')
    expect(
      describeAudience(
        { source: 'filter', includeTags: ['vip', 'lead'], excludeTags: ['churned'], fields: [{ key: 'city', op: 'equals', value: 'Porto' }, { key: 'email', op: 'present' }] },
        0,
      ),
    ).toBe('Contacts tagged “vip” or “lead”, not tagged “churned”, city is “Porto”, email is set')
    expect(describeAudience({ source: 'list', includeTags: ['vip'], excludeTags: [], fields: [] }, 1200)).toBe('The 1,200 contacts on the list, tagged “vip”')
  })
})

describe('a CSV of phone numbers as a campaign list', () => {
  it('picks the column the contacts import would read phones from', () => {
    expect(guessPhoneColumn(['Name', 'Mobile number', 'City'])).toBe('Mobile number')
    expect(guessPhoneColumn(['a', 'b'])).toBe('a')
    expect(guessPhoneColumn([])).toBeUndefined()
  })

  it('takes the column’s non-blank values and posts them in chunks of the given size', () => {
    const rows = [{ phone: ' +351 912 345 678 ' }, { phone: '' }, { phone: '  ' }, { other: 'x' }, { phone: '5551234' }]
    expect(phonesOf(rows, 'phone')).toEqual(['+351 912 345 678', '5551234'])
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunksOf([], 5000)).toEqual([])
  })
})
