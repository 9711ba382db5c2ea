import { describe, expect, it } from 'vitest'
import { AppError } from '@/core/errors/app-error'
import { assertMediaAllowed, baseMimeType, formatBytes } from '@/core/whatsapp/media-limits'

const refusal = (fn: () => void) => {
  try {
    fn()
  } catch (error) {
    return error as AppError
  }
  throw new Error('expected a refusal')
}

describe("Meta's media rules", () => {
  it('accepts each type at its limit', () => {
    expect(() => assertMediaAllowed('image', { mimeType: 'image/jpeg', sizeBytes: 5 * 1024 * 1024 })).not.toThrow()
    expect(() => assertMediaAllowed('audio', { mimeType: 'audio/ogg; codecs=opus', sizeBytes: 16 * 1024 * 1024 })).not.toThrow()
    expect(() => assertMediaAllowed('document', { mimeType: 'application/zip', sizeBytes: 100 * 1024 * 1024 })).not.toThrow()
    expect(() => assertMediaAllowed('sticker', { mimeType: 'image/webp', sizeBytes: 500 * 1024 })).not.toThrow()
  })

  it('refuses one byte over the limit, saying both sizes', () => {
    const error = refusal(() => assertMediaAllowed('image', { mimeType: 'image/png', sizeBytes: 5 * 1024 * 1024 + 1 }))
    expect(error.code).toBe('validation_failed')
    expect(error.message).toBe('A file sent as image may be at most 5 MB; this file is 5.0 MB')
    expect(error.details).toMatchObject({ field: 'file', maxBytes: 5 * 1024 * 1024 })
  })

  it('refuses a type Meta does not take for that kind and lists what it does', () => {
    const error = refusal(() => assertMediaAllowed('video', { mimeType: 'video/quicktime', sizeBytes: 10 }))
    expect(error.message).toContain('video/quicktime')
    expect(error.message).toContain('video/mp4, video/3gpp')
    expect(refusal(() => assertMediaAllowed('sticker', { mimeType: 'image/png', sizeBytes: 10 })).message).toContain('image/webp')
  })

  it('refuses an empty file', () => {
    expect(refusal(() => assertMediaAllowed('document', { mimeType: 'text/plain', sizeBytes: 0 })).message).toBe('The file is empty')
  })

  it('reads the bare MIME type and formats sizes for people', () => {
    expect(baseMimeType(' Audio/OGG; codecs=opus')).toBe('audio/ogg')
    expect(formatBytes(500 * 1024)).toBe('500 KB')
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MB')
  })
})
