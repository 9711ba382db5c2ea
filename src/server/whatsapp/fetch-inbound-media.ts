// Downloads an inbound media file promptly (Meta's media ids expire), checks its size and hash, and
// keeps it in our storage; the media route serves it to members of the tenant only.
import { createHash } from 'node:crypto'
import { GraphApiError } from '@/core/whatsapp/graph-errors'
import { isMediaKind, MEDIA_RULES } from '@/core/whatsapp/media-limits'
import type { Db } from '@/server/db/create-db'
import type { Storage } from '@/server/storage/storage'
import { openAccessToken } from './access-token'
import type { GraphDeps } from './deps'

export interface MediaDeps extends GraphDeps {
  db: Db
  storage: Storage
}

export type MediaOutcome = 'stored' | 'failed' | 'retry' | 'skipped'

export async function fetchInboundMedia(deps: MediaDeps, mediaRowId: string): Promise<MediaOutcome> {
  const [row] = await deps.db.sql<
    { tenantId: string; metaMediaId: string; expectedSha: string | null; type: string; phoneNumberId: string; token: string }[]
  >`
    select md.tenant_id as "tenantId", md.meta_media_id as "metaMediaId", md.sha256 as "expectedSha", m.type,
           n.phone_number_id as "phoneNumberId", n.access_token_ciphertext as token
    from public.media md
    join public.messages m on m.id = md.message_id
    join public.whatsapp_numbers n on n.id = m.number_id
    where md.id = ${mediaRowId} and md.status = 'pending' and md.meta_media_id is not null`
  if (!row) return 'skipped'

  const fail = async (error: string, outcome: 'failed' | 'retry') => {
    await deps.db.sql`update public.media set status = ${outcome === 'failed' ? 'failed' : 'pending'}, error = ${error} where id = ${mediaRowId}`
    return outcome
  }
  try {
    const token = openAccessToken(row.token, row.phoneNumberId, deps.encryptionKey)
    const info = await deps.graph.getMediaUrl(row.metaMediaId, token)
    // Meta caps customers' files per type as it caps ours; anything larger is refused before it fills our disk.
    const maxBytes = MEDIA_RULES[isMediaKind(row.type) ? row.type : 'document'].maxBytes
    if (info.fileSize && info.fileSize > maxBytes) return fail(`file of ${info.fileSize} bytes exceeds the ${row.type} limit`, 'failed')
    const bytes = await deps.graph.downloadMedia(info.url, token, { maxBytes })
    if (info.fileSize && bytes.byteLength !== info.fileSize) return fail(`size mismatch: got ${bytes.byteLength}, Meta said ${info.fileSize}`, 'retry')
    const digest = createHash('sha256').update(bytes).digest()
    // Meta gives the hash as hex in the media lookup and as base64 in some webhooks: accept either.
    for (const expected of [info.sha256, row.expectedSha].filter(Boolean) as string[])
      if (expected.toLowerCase() !== digest.toString('hex') && expected !== digest.toString('base64'))
        return fail('sha256 mismatch: the download is not the file Meta announced', 'retry')

    const mimeType = info.mimeType ?? 'application/octet-stream'
    const storagePath = `${row.tenantId}/media/${mediaRowId}`
    await deps.storage.put(storagePath, bytes, mimeType)
    await deps.db.sql`
      update public.media set status = 'stored', storage_path = ${storagePath}, size_bytes = ${bytes.byteLength},
                              sha256 = ${digest.toString('hex')}, mime_type = ${mimeType}, error = null
      where id = ${mediaRowId}`
    return 'stored'
  } catch (error) {
    if (error instanceof GraphApiError)
      return fail(`${error.info.code ?? error.httpStatus ?? ''} ${error.info.title}`.trim(), error.info.kind === 'transient' || error.info.kind === 'throttled' ? 'retry' : 'failed')
    return fail(error instanceof Error ? error.message : String(error), 'retry')
  }
}
