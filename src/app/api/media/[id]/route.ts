// Serves stored media to members of its tenant only (the lookup runs under RLS).
import { notFound } from '@/core/errors/app-error'
import { tenantRoute } from '@/server/http/route'
import { mediaStorage } from '@/server/storage/storage-from-config'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => {
  const [media] = await tx<{ storagePath: string | null; filename: string | null; mimeType: string | null }[]>`
    select storage_path as "storagePath", filename, mime_type as "mimeType"
    from public.media where id = ${String(params.id)}::uuid and tenant_id = ${tenant.id} and status = 'stored'`
  const object = media?.storagePath ? await mediaStorage().get(media.storagePath) : null
  if (!object) throw notFound('Media')
  const inline = /^(image|video|audio)\//.test(object.contentType)
  const name = (media!.filename ?? 'file').replace(/[^\w.\- ]/g, '_')
  return new Response(Buffer.from(object.bytes), {
    headers: {
      'content-type': object.contentType,
      'content-length': String(object.bytes.byteLength),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
      // Customer files are untrusted: never sniff, never run as a page, never cache publicly.
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=3600',
    },
  })
})
