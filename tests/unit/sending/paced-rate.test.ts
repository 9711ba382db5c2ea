import { describe, expect, it } from 'vitest'
import { pacedRate } from '@/core/sending/paced-rate'

describe('the paced rate', () => {
  it('leaves the headroom at high MPS and at least three messages at low MPS', () => {
    expect(pacedRate(1000, 0.025)).toBe(975)
    expect(pacedRate(80, 0.025)).toBe(77)
    expect(pacedRate(20, 0.025)).toBe(17)
    expect(pacedRate(2, 0.025)).toBe(1)
  })
})
