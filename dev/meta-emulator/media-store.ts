// Media objects: multipart upload with Meta's per-type MIME and size limits, id → short-lived URL lookup,
// the bearer-protected download behind that URL, and delete. Inbound media injected through the control
// API lands here too, so the app downloads customer files exactly as it would from Meta.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { EmulatorState, MediaObject, RegisteredNumber } from './emulator-state'
import { json, type Reply } from './http-io'
import { makeNumericId } from './make-ids'
import { MetaError, missingParameter, whatsappError } from './meta-errors'

const KB = 1024
const MB = 1024 * KB
// Meta documents the URL as valid for about five minutes; GET the media id again to refresh it.
const URL_TTL_SECONDS = 300
export const DOWNLOAD_PATH = '/whatsapp_business/attachments/'

interface MediaKind {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'
  mimes: string[]
  maxBytes: number
}

const KINDS: MediaKind[] = [
  { kind: 'audio', mimes: ['audio/aac', 'audio/mp4', 'audio/mpeg', 'audio/amr', 'audio/ogg', 'audio/opus'], maxBytes: 16 * MB },
  {
    kind: 'document',
    mimes: [
      'application/vnd.ms-powerpoint',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/pdf',
      'text/plain',
      'application/vnd.ms-excel',
    ],
    maxBytes: 100 * MB,
  },
  { kind: 'image', mimes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  // Stickers: 100 KB static, 500 KB animated (checked against the WebP header below).
  { kind: 'sticker', mimes: ['image/webp'], maxBytes: 500 * KB },
  { kind: 'video', mimes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
]
const STATIC_STICKER_MAX = 100 * KB
export const MAX_UPLOAD_BYTES = 100 * MB + MB

const bareMime = (mime: string) => mime.split(';')[0]!.trim().toLowerCase()
const kindOf = (mime: string) => KINDS.find((k) => k.mimes.includes(bareMime(mime)))

// An animated WebP is a VP8X container with the animation flag (bit 1 of the flags byte) set.
const isAnimatedWebp = (bytes: Buffer) =>
  bytes.length > 20 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 12, 16) === 'VP8X' && (bytes[20]! & 0x02) !== 0

export function checkMediaLimits(mimeType: string, bytes: Buffer) {
  const kind = kindOf(mimeType)
  if (!kind) {
    const allowed = KINDS.flatMap((k) => k.mimes).join(', ')
    throw whatsappError(100, `Param file must be a file with one of the following types: ${allowed}. Received file of type '${bareMime(mimeType)}'.`)
  }
  const max = kind.kind === 'sticker' && !isAnimatedWebp(bytes) ? STATIC_STICKER_MAX : kind.maxBytes
  if (bytes.length === 0) throw whatsappError(131053, 'Uploaded file is empty.')
  if (bytes.length > max)
    throw whatsappError(131053, `File of type ${bareMime(mimeType)} is ${bytes.length} bytes; the maximum size for ${kind.kind} is ${max} bytes.`)
}

export function storeMedia(state: EmulatorState, number: RegisteredNumber, mimeType: string, bytes: Buffer, filename?: string): MediaObject {
  const media: MediaObject = {
    id: makeNumericId(),
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    mimeType,
    bytes,
    sha256Hex: createHash('sha256').update(bytes).digest('hex'),
    ...(filename ? { filename } : {}),
    createdAt: Date.now(),
  }
  state.media.set(media.id, media)
  return media
}

export async function uploadMedia(state: EmulatorState, number: RegisteredNumber, contentType: string, body: Buffer): Promise<Reply> {
  let form: FormData
  try {
    // undici's multipart parser (the one behind fetch) reads the form exactly as a server would.
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw missingParameter('messaging_product')
  }
  if (form.get('messaging_product') !== 'whatsapp') throw missingParameter('messaging_product')
  const file = form.get('file')
  if (!file || typeof file === 'string') throw missingParameter('file')
  const declared = form.get('type')
  const mimeType = typeof declared === 'string' && declared ? declared : file.type
  if (!mimeType) throw missingParameter('type')
  const bytes = Buffer.from(await file.arrayBuffer())
  checkMediaLimits(mimeType, bytes)
  const media = storeMedia(state, number, mimeType, bytes, file.name || undefined)
  return json(200, { id: media.id })
}

function urlHash(state: EmulatorState, mid: string, ext: string) {
  return createHmac('sha256', state.config.appSecret).update(`${mid}:${ext}`).digest('base64url').slice(0, 22)
}

export function mediaInfo(state: EmulatorState, media: MediaObject): Reply {
  const ext = String(Math.floor(Date.now() / 1000) + URL_TTL_SECONDS)
  const url = new URL(DOWNLOAD_PATH, state.baseUrl)
  url.searchParams.set('mid', media.id)
  url.searchParams.set('ext', ext)
  url.searchParams.set('hash', urlHash(state, media.id, ext))
  return json(200, {
    url: url.toString(),
    mime_type: media.mimeType,
    sha256: media.sha256Hex,
    file_size: media.bytes.length,
    id: media.id,
    messaging_product: 'whatsapp',
  })
}

// The download URL must be signed by us and unexpired; the caller checks the bearer token against the owner.
export function mediaForDownload(state: EmulatorState, url: URL): MediaObject {
  const mid = url.searchParams.get('mid') ?? ''
  const ext = url.searchParams.get('ext') ?? ''
  const hash = Buffer.from(url.searchParams.get('hash') ?? '')
  const expected = Buffer.from(urlHash(state, mid, ext))
  const media = state.media.get(mid)
  const valid = hash.length === expected.length && timingSafeEqual(hash, expected) && Number(ext) * 1000 > Date.now()
  if (!media || !valid) throw new MetaError(404, { message: 'URL signature mismatch or expired', type: 'OAuthException', code: 100 })
  return media
}

export function downloadReply(media: MediaObject): Reply {
  return {
    status: 200,
    bytes: media.bytes,
    headers: {
      'content-type': media.mimeType,
      ...(media.filename ? { 'content-disposition': `attachment; filename="${media.filename.replace(/"/g, '')}"` } : {}),
    },
  }
}
