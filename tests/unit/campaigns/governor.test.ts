import { describe, expect, it } from 'vitest'
import { governorVerdict, type GovernorInput } from '@/core/campaigns/governor'

const base: GovernorInput = { failuresByCode: new Map(), settled: 0, settledDelivered: 0, attempted: 0, minDeliveryRate: 0.7 }

describe('governorVerdict', () => {
  it('lets a healthy campaign run', () => {
    expect(governorVerdict({ ...base, settled: 500, settledDelivered: 480, attempted: 600, failuresByCode: new Map([[131026, 3]]) })).toBeNull()
  })

  it.each([131048, 132015, 132016, 131031, 368])('pauses at the first %i and names the code', (code) => {
    expect(governorVerdict({ ...base, attempted: 10, failuresByCode: new Map([[code, 1]])! })?.pause).toContain(String(code))
  })

  it('pauses on 131049 only once it is a steady share of the sends', () => {
    const at = (n: number, attempted: number) => governorVerdict({ ...base, attempted, failuresByCode: new Map([[131049, n]]) })
    expect(at(4, 10)).toBeNull()
    expect(at(5, 1000)).toBeNull()
    expect(at(20, 1000)?.pause).toContain('131049')
  })

  it('judges the delivery rate only on enough settled sends, against the threshold', () => {
    expect(governorVerdict({ ...base, settled: 49, settledDelivered: 0 })).toBeNull()
    expect(governorVerdict({ ...base, settled: 100, settledDelivered: 70 })).toBeNull()
    expect(governorVerdict({ ...base, settled: 100, settledDelivered: 62 })?.pause).toBe('Delivery rate 62.0% fell below the campaign’s 70% threshold')
    expect(governorVerdict({ ...base, minDeliveryRate: null, settled: 100, settledDelivered: 0 })).toBeNull()
  })
})
