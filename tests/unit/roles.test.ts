import { describe, expect, it } from 'vitest'
import { atLeast, canGrant } from '@/core/tenancy/roles'

describe('member roles', () => {
  it('ranks owner > admin > supervisor > agent', () => {
    expect(atLeast('owner', 'admin')).toBe(true)
    expect(atLeast('admin', 'admin')).toBe(true)
    expect(atLeast('supervisor', 'admin')).toBe(false)
    expect(atLeast('agent', 'supervisor')).toBe(false)
  })

  it('lets owners grant every role and admins every role but owner', () => {
    expect(canGrant('owner', 'owner')).toBe(true)
    expect(canGrant('admin', 'admin')).toBe(true)
    expect(canGrant('admin', 'owner')).toBe(false)
  })

  it('lets supervisors and agents grant nothing', () => {
    for (const actor of ['supervisor', 'agent'] as const) expect(canGrant(actor, 'agent')).toBe(false)
  })
})
