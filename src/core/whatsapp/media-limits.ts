// Meta's media rules per message type: the MIME types it accepts and the largest file, for uploads we
// send and for files customers send us (which Meta caps the same way).
import { AppError } from '@/core/errors/app-error'

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

const MB = 1024 * 1024

export const MEDIA_RULES: Record<MediaKind, { maxBytes: number; mimeTypes: readonly string[] | 'any' }> = {
  image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'] },
  video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'] },
  audio: { maxBytes: 16 * MB, mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'] },
  // Meta lists text, PDF and Office formats but delivers any file as a document; its cap is the size.
  document: { maxBytes: 100 * MB, mimeTypes: 'any' },
  // Animated stickers may reach 500 KB; static ones 100 KB, which Meta checks itself.
  sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'] },
}

export const isMediaKind = (value: string): value is MediaKind => value in MEDIA_RULES

/** The bare MIME type, without parameters such as `; codecs=opus`. */
export const baseMimeType = (mimeType: string) => mimeType.split(';')[0]!.trim().toLowerCase()

/** Throws a 422 naming the rule a file breaks for this kind of message. */
export function assertMediaAllowed(kind: MediaKind, file: { mimeType: string; sizeBytes: number }) {
  const rule = MEDIA_RULES[kind]
  const mime = baseMimeType(file.mimeType)
  if (rule.mimeTypes !== 'any' && !rule.mimeTypes.includes(mime))
    throw new AppError('validation_failed', `WhatsApp does not accept ${mime || 'this file type'} as ${kind}; use ${rule.mimeTypes.join(', ')}`, {
      field: 'file',
      allowed: rule.mimeTypes,
    })
  if (file.sizeBytes === 0) throw new AppError('validation_failed', 'The file is empty', { field: 'file' })
  if (file.sizeBytes > rule.maxBytes)
    throw new AppError('validation_failed', `A file sent as ${kind} may be at most ${formatBytes(rule.maxBytes)}; this file is ${formatBytes(file.sizeBytes)}`, {
      field: 'file',
      maxBytes: rule.maxBytes,
    })
}

export function formatBytes(bytes: number) {
  if (bytes >= MB) return `${(bytes / MB).toFixed(bytes % MB ? 1 : 0)} MB`
  return `${Math.ceil(bytes / 1024)} KB`
}
