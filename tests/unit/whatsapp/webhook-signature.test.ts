import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { signWebhookBody, verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'

const DIR = path.resolve(import.meta.dirname, '../../fixtures/meta')
const SECRET = 'conversa-test-app-secret-7f3a9c'
const body = readFileSync(path.join(DIR, '01_text.json'))
const validHeader = signWebhookBody(body, SECRET)

describe('signWebhookBody', () => {
  it('matches the RFC 4231 HMAC-SHA256 test vector', () => {
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  })

  it('returns sha256= and 64 lowercase hex digits', () => {
    expect(validHeader).toMatch(/^sha256=[0-9a-f]{64}$/)
  })

  it('hashes a string as its UTF-8 bytes, so string and byte bodies sign the same', () => {
    expect(body.toString('utf8')).toContain('sábado')
    expect(signWebhookBody(body.toString('utf8'), SECRET)).toBe(validHeader)
    expect(signWebhookBody(new Uint8Array(body), SECRET)).toBe(validHeader)
  })

  it('refuses to sign with an empty secret', () => {
    expect(() => signWebhookBody(body, '')).toThrow(/app secret/)
  })
})

describe('verifyWebhookSignature', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('accepts the signature of the exact bytes of %s', (name) => {
    const bytes = readFileSync(path.join(DIR, name))
    const header = `sha256=${createHmac('sha256', SECRET).update(bytes).digest('hex')}`
    expect(verifyWebhookSignature(bytes, header, SECRET)).toBe(true)
  })

  it('accepts the body given as a string', () => {
    expect(verifyWebhookSignature(body.toString('utf8'), validHeader, SECRET)).toBe(true)
  })

  it.each([null, undefined, ''])('rejects a missing signature header (%s)', (header) => {
    expect(verifyWebhookSignature(body, header, SECRET)).toBe(false)
  })

  it('rejects a signature made with another secret', () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, `${SECRET}x`), SECRET)).toBe(false)
  })

  it.each([0, 1, Math.floor(body.length / 2), body.length - 1])('rejects the body with the byte at %i changed', (index) => {
    const tampered = Buffer.from(body)
    tampered[index] = tampered[index]! ^ 0x01
    expect(verifyWebhookSignature(tampered, validHeader, SECRET)).toBe(false)
  })

  it('rejects a body that was parsed and re-serialised', () => {
    const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')))
    expect(verifyWebhookSignature(reserialised, validHeader, SECRET)).toBe(false)
  })

  it('rejects a body with one byte appended', () => {
    expect(verifyWebhookSignature(Buffer.concat([body, Buffer.from('\n')]), validHeader, SECRET)).toBe(false)
  })

  it.each([
    ['the legacy sha1 scheme', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`],
    ['no scheme prefix', validHeader.slice('sha256='.length)],
    ['an empty digest', 'sha256='],
    ['a digest one digit short', validHeader.slice(0, -1)],
    ['a digest one digit long', `${validHeader}0`],
    ['non-hex digits', `sha256=${'zz'.repeat(32)}`],
    ['a base64 digest', `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`],
    ['trailing garbage', `${validHeader},sha256=00`],
    ['an upper-case scheme', validHeader.replace('sha256=', 'SHA256=')],
  ])('rejects a malformed header: %s', (_, header) => {
    expect(verifyWebhookSignature(body, header, SECRET)).toBe(false)
  })

  it('accepts upper-case hex digits and surrounding whitespace, which encode the same digest', () => {
    expect(verifyWebhookSignature(body, `sha256=${validHeader.slice(7).toUpperCase()}`, SECRET)).toBe(true)
    expect(verifyWebhookSignature(body, `  ${validHeader} `, SECRET)).toBe(true)
  })

  it('rejects everything when the app secret is empty', () => {
    const signedWithEmpty = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`
    expect(verifyWebhookSignature(body, signedWithEmpty, '')).toBe(false)
  })

  it('returns false instead of throwing for values of the wrong type', () => {
    const wrong = 42 as unknown as string
    expect(verifyWebhookSignature(body, wrong, SECRET)).toBe(false)
    expect(verifyWebhookSignature(body, validHeader, wrong)).toBe(false)
    expect(verifyWebhookSignature(wrong, validHeader, SECRET)).toBe(false)
  })
})
