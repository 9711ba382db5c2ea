// Uploads an attachment for sending from this number (multipart: `file`, optional `kind`). The answer's
// `metaMediaId` goes into the message body, e.g. `{ "type": "image", "image": { "id": metaMediaId } }`.
import { NextResponse } from 'next/server'
import { AppError } from '@/core/errors/app-error'
import { isMediaKind, MEDIA_RULES, type MediaKind } from '@/core/whatsapp/media-limits'
import { tenantRoute } from '@/server/http/route'
import { mediaDeps } from '@/server/whatsapp/deps'
import { uploadOutboundMedia } from '@/server/whatsapp/upload-outbound-media'

// The largest file Meta takes (a document), plus room for the multipart envelope.
const MAX_REQUEST_BYTES = MEDIA_RULES.document.maxBytes + 64 * 1024

function kindFor(requested: FormDataEntryValue | null, mimeType: string): MediaKind {
  if (typeof requested === 'string' && requested) {
    if (!isMediaKind(requested)) throw new AppError('validation_failed', `kind must be one of ${Object.keys(MEDIA_RULES).join(', ')}`, { field: 'kind' })
    return requested
  }
  const family = mimeType.split('/')[0]
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'document'
}

export const POST = tenantRoute({ minRole: 'agent' }, async ({ req, tx, tenant, params }) => {
  const length = Number(req.headers.get('content-length') ?? NaN)
  if (length > MAX_REQUEST_BYTES) throw new AppError('payload_too_large', 'The file is larger than WhatsApp allows (100 MB for documents)')
  if (!req.headers.get('content-type')?.startsWith('multipart/form-data'))
    throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with a "file" field')
  const form = await req.formData().catch(() => {
    throw new AppError('bad_request', 'The multipart body could not be read')
  })
  const file = form.get('file')
  if (!(file instanceof File)) throw new AppError('validation_failed', 'A "file" field with the attachment is required', { field: 'file' })
  const mimeType = file.type || 'application/octet-stream'
  const uploaded = await uploadOutboundMedia(
    tx,
    {
      tenantId: tenant.id,
      numberId: String(params.id),
      kind: kindFor(form.get('kind'), mimeType),
      file: { bytes: new Uint8Array(await file.arrayBuffer()), mimeType, filename: file.name || 'file' },
    },
    mediaDeps(),
  )
  return NextResponse.json({ media: uploaded }, { status: 201 })
})
