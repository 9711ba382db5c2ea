import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '@/server/auth/password-hash'

describe('scrypt password hashes', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery')
    expect(stored.startsWith('scrypt$')).toBe(true)
    expect(stored).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery', stored)).toBe(true)
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false)
  })

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'))
  })

  it('rejects users without a stored hash', async () => {
    expect(await verifyPassword('anything', null)).toBe(false)
    expect(await verifyPassword('anything', 'bcrypt$garbage')).toBe(false)
  })
})
