// An agent's attachment: checked against Meta's rules for its message type, uploaded to Meta for the
// sending number (the returned id goes into the message body), and kept in our storage so the chat can
// show what was sent after Meta's copy expires (30 days).
import { createHash } from 'node:crypto'
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import { assertMediaAllowed, baseMimeType, type MediaKind } from '@/core/whatsapp/media-limits'
import type { Storage } from '@/server/storage/storage'
import { openAccessToken } from './access-token'
import type { GraphDeps } from './deps'
import { callMeta } from './meta-refusal'

export interface UploadedMedia {
  id: string
  metaMediaId: string
  kind: MediaKind
  mimeType: string
  sizeBytes: number
  filename: string
}

export async function uploadOutboundMedia(
  tx: TransactionSql,
  args: { tenantId: string; numberId: string; kind: MediaKind; file: { bytes: Uint8Array; mimeType: string; filename: string } },
  deps: GraphDeps & { storage: Storage },
): Promise<UploadedMedia> {
  const { file, kind } = args
  assertMediaAllowed(kind, { mimeType: file.mimeType, sizeBytes: file.bytes.byteLength })
  const [number] = await tx<{ phoneNumberId: string; token: string }[]>`
    select phone_number_id as "phoneNumberId", access_token_ciphertext as token
    from public.whatsapp_numbers where id = ${args.numberId} and tenant_id = ${args.tenantId}`
  if (!number) throw notFound('WhatsApp number')

  const mimeType = baseMimeType(file.mimeType)
  const token = openAccessToken(number.token, number.phoneNumberId, deps.encryptionKey)
  const uploaded = await callMeta('Meta refused the file', () =>
    deps.graph.uploadMedia(number.phoneNumberId, token, { bytes: file.bytes, mimeType, filename: file.filename }),
  )
  const [row] = await tx<{ id: string }[]>`
    insert into public.media (tenant_id, meta_media_id, mime_type, sha256, size_bytes, filename, status)
    values (${args.tenantId}, ${uploaded.id}, ${mimeType}, ${createHash('sha256').update(file.bytes).digest('hex')},
            ${file.bytes.byteLength}, ${file.filename}, 'pending')
    returning id`
  const storagePath = `${args.tenantId}/media/${row!.id}`
  await deps.storage.put(storagePath, file.bytes, mimeType)
  await tx`update public.media set status = 'stored', storage_path = ${storagePath} where id = ${row!.id}`
  return { id: row!.id, metaMediaId: uploaded.id, kind, mimeType, sizeBytes: file.bytes.byteLength, filename: file.filename }
}
