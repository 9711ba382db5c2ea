// Small but real file bytes for inbound media injected without `data`, so an app that sniffs the type
// (magic bytes) or hashes the download sees a consistent file rather than an empty body.
const BASE64: Record<string, string> = {
  'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'image/jpeg':
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'image/webp': 'UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=',
}

const MAGIC: Record<string, Buffer> = {
  'video/mp4': Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42\0\0\0\0mp42isom', 'binary')]),
  'audio/ogg': Buffer.from('OggS\0\x02', 'binary'),
  'audio/mpeg': Buffer.from('ID3\x03\0\0\0\0\0\0', 'binary'),
  'application/pdf': Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
}

export const DEFAULT_INBOUND_MIME: Record<string, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
}

export function placeholderBytes(mimeType: string, label: string): Buffer {
  const bare = mimeType.split(';')[0]!.trim()
  if (BASE64[bare]) return Buffer.from(BASE64[bare], 'base64')
  // A unique tail keeps two placeholders of the same type from sharing a sha256.
  return Buffer.concat([MAGIC[bare] ?? Buffer.alloc(0), Buffer.from(`\nconversa meta-emulator placeholder ${label}\n`)])
}
