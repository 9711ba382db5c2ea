import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { open, seal } from '@/server/crypto/secret-box'

const key = randomBytes(32).toString('base64')

describe('AES-256-GCM secret box', () => {
  it('round-trips a secret and never stores it in clear', () => {
    const sealed = seal('EAAG-access-token', key, 'number-1')
    expect(sealed).not.toContain('EAAG')
    expect(open(sealed, key, 'number-1')).toBe('EAAG-access-token')
  })

  it('uses a fresh IV each time, so equal secrets do not look equal at rest', () => {
    expect(seal('same', key)).not.toBe(seal('same', key))
  })

  it('rejects a tampered ciphertext', () => {
    const [v, iv, tag, body] = seal('secret', key).split('.')
    const flipped = Buffer.from(body!, 'base64url')
    flipped[0]! ^= 1
    expect(() => open([v, iv, tag, flipped.toString('base64url')].join('.'), key)).toThrow()
  })

  it('rejects a ciphertext moved to another row (associated data differs)', () => {
    expect(() => open(seal('secret', key, 'number-1'), key, 'number-2')).toThrow()
  })

  it('rejects the wrong key', () => {
    expect(() => open(seal('secret', key), randomBytes(32).toString('base64'))).toThrow()
  })
})
