// An agent's attachment: which kind of WhatsApp message it becomes, whether Meta would take it (checked
// here, before any upload, with Meta's own rules), and the upload to the sending number with progress.
import { ApiError } from '@/ui/api/api-client'
import { baseMimeType, formatBytes, MEDIA_RULES, type MediaKind } from '@/core/whatsapp/media-limits'

export function kindForFile(file: File): MediaKind {
  const mime = baseMimeType(file.type)
  if (mime === 'image/webp') return 'sticker'
  const family = mime.split('/')[0]
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'document'
}

/** Why Meta would refuse this file as `kind`, or null when it is fine. */
export function attachmentProblem(kind: MediaKind, file: File): string | null {
  const rule = MEDIA_RULES[kind]
  const mime = baseMimeType(file.type)
  if (rule.mimeTypes !== 'any' && !rule.mimeTypes.includes(mime))
    return `WhatsApp does not accept ${mime || 'this file type'} as ${kind}. Allowed: ${rule.mimeTypes.join(', ')}.`
  if (file.size === 0) return 'The file is empty.'
  if (file.size > rule.maxBytes) return `A ${kind} may be at most ${formatBytes(rule.maxBytes)}; this file is ${formatBytes(file.size)}.`
  return null
}

/** Uploads through our API (which passes it on to Meta) and resolves with the Meta media id to send. */
export function uploadAttachment(numberId: string, kind: MediaKind, file: File, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    form.set('file', file)
    form.set('kind', kind)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/numbers/${numberId}/media`)
    xhr.responseType = 'json'
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed; check the connection and try again'))
    xhr.onload = () => {
      const data = xhr.response as { media?: { metaMediaId: string }; error?: { code: string; message: string; details?: unknown } } | null
      if (xhr.status === 201 && data?.media) resolve(data.media.metaMediaId)
      else reject(new ApiError(xhr.status, data?.error?.code ?? 'internal', data?.error?.message ?? `Upload failed (${xhr.status})`, data?.error?.details))
    }
    xhr.send(form)
  })
}
