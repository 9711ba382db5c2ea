import { describe, expect, it } from 'vitest'
import { displayPhone } from '@/core/util/display-phone'

describe('a WhatsApp id shown to people', () => {
  it('is grouped the way its country writes it internationally', () => {
    expect(displayPhone('5511977770001')).toBe('+55 11 97777 0001')
    expect(displayPhone('14155550123')).toBe('+1 415 555 0123')
    expect(displayPhone('34612345678')).toBe('+34 612 34 56 78')
    expect(displayPhone('5491123456789')).toBe('+54 9 11 2345 6789')
  })

  it("keeps the 1 WhatsApp gives Mexican mobiles, grouping the rest", () => {
    expect(displayPhone('5215512345678')).toBe('+52 1 55 1234 5678')
    expect(displayPhone('525512345678')).toBe('+52 55 1234 5678')
  })

  it('falls back to +digits for what the metadata cannot place, and to nothing without a number', () => {
    expect(displayPhone('999123')).toBe('+999123')
    expect(displayPhone(null)).toBe('')
    expect(displayPhone('')).toBe('')
  })
})
