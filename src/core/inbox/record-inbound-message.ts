// Turns one inbound webhook message into rows: contact (upserted), conversation (opened or reopened,
// window extended), message (idempotent on wamid) and, for media types, a media row to download.
import type { TransactionSql } from 'postgres'
import { messagePreview } from '@/core/whatsapp/message-preview'
import type { MessageEvent } from '@/core/whatsapp/webhook-events'
import type { ResolvedNumber } from './resolve-number'

const SERVICE_WINDOW_MS = 24 * 3_600_000
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker'])
const WA_ID = /^[0-9]{5,20}$/

export interface RecordedInbound {
  messageId: string
  conversationId: string
  contactId: string
  /** Who has the conversation, if anyone: the member to notify. */
  assigneeId: string | null
  mediaRowId: string | null
}

/** Returns null when the wamid was already recorded (Meta re-delivers webhooks). */
export async function recordInboundMessage(tx: TransactionSql, number: ResolvedNumber, m: MessageEvent): Promise<RecordedInbound | null> {
  // A re-delivery (Meta's retry, or captured bytes replayed) must change nothing: checked before the
  // contact upsert, which would otherwise roll a newer profile name back to the one in the old body.
  // Two first deliveries racing each other are still settled by the unique wamid below.
  const [known] = await tx`select 1 from public.messages where wamid = ${m.wamid}`
  if (known) return null
  const contactId = await upsertContact(tx, number.tenantId, m)
  // System notices (e.g. "changed their number") are not the customer writing: no window, no unread.
  const opensWindow = m.type !== 'system'
  const windowEnd = new Date(m.timestamp.getTime() + SERVICE_WINDOW_MS)

  const conversation = await lockConversation(tx, number, contactId, m.timestamp)

  const content = {
    ...(m.content as Record<string, unknown>),
    ...(m.text !== null ? { text: m.text } : {}),
    ...(m.forwarded ? { forwarded: true } : {}),
    ...(m.frequentlyForwarded ? { frequentlyForwarded: true } : {}),
    ...(m.referral ? { referral: m.referral } : {}),
    ...(m.errors.length ? { errors: m.errors } : {}),
  }
  const [message] = await tx<{ id: string }[]>`
    insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status,
                                 content, reply_to_wamid, "timestamp", sent_by)
    values (${number.tenantId}, ${conversation.id}, ${number.id}, ${contactId}, ${m.wamid}, 'inbound', ${m.type}, 'received',
            ${tx.json(content as never)}, ${m.contextWamid}, ${m.timestamp}, null)
    on conflict (wamid) do nothing
    returning id`
  if (!message) return null

  const preview = messagePreview(m.type, m.text, m.content)
  await tx`
    update public.conversations set
      last_message_preview = case when ${m.timestamp} >= last_message_at or last_message_preview is null
                                  then ${preview} else last_message_preview end,
      last_message_at = greatest(last_message_at, ${m.timestamp}),
      unread_count = unread_count + ${opensWindow ? 1 : 0},
      last_inbound_at = case when ${opensWindow} then greatest(coalesce(last_inbound_at, ${m.timestamp}), ${m.timestamp}) else last_inbound_at end,
      service_window_expires_at = case when ${opensWindow}
        then greatest(coalesce(service_window_expires_at, ${windowEnd}), ${windowEnd}) else service_window_expires_at end,
      status = case when ${opensWindow} and status in ('resolved', 'closed') then 'open' else status end
    where id = ${conversation.id}`

  const media = MEDIA_TYPES.has(m.type) ? (m.content as { mediaId?: string; mimeType?: string; sha256?: string; filename?: string }) : null
  let mediaRowId: string | null = null
  if (media?.mediaId) {
    const [row] = await tx<{ id: string }[]>`
      insert into public.media (tenant_id, message_id, meta_media_id, mime_type, sha256, filename)
      values (${number.tenantId}, ${message.id}, ${media.mediaId}, ${media.mimeType ?? null}, ${media.sha256 ?? null}, ${media.filename ?? null})
      returning id`
    mediaRowId = row!.id
  }
  return { messageId: message.id, conversationId: conversation.id, contactId, assigneeId: conversation.assigneeId, mediaRowId }
}

async function upsertContact(tx: TransactionSql, tenantId: string, m: MessageEvent): Promise<string> {
  const waId = m.from && WA_ID.test(m.from) ? m.from : null
  if (waId) {
    const [row] = await tx<{ id: string }[]>`
      insert into public.contacts (tenant_id, wa_id, user_id, profile_name, last_inbound_at)
      values (${tenantId}, ${waId}, ${m.userId}, ${m.profileName}, ${m.timestamp})
      on conflict (tenant_id, wa_id) do update set
        profile_name = coalesce(excluded.profile_name, contacts.profile_name),
        user_id = coalesce(excluded.user_id, contacts.user_id),
        last_inbound_at = greatest(contacts.last_inbound_at, excluded.last_inbound_at)
      returning id`
    return row!.id
  }
  // Username users may come with only Meta's business-scoped user id.
  if (!m.userId) throw new Error(`message ${m.wamid} has neither a valid wa_id nor a user_id`)
  const [known] = await tx<{ id: string }[]>`
    update public.contacts set profile_name = coalesce(${m.profileName}, profile_name),
                               last_inbound_at = greatest(last_inbound_at, ${m.timestamp})
    where tenant_id = ${tenantId} and user_id = ${m.userId} returning id`
  if (known) return known.id
  const [created] = await tx<{ id: string }[]>`
    insert into public.contacts (tenant_id, user_id, profile_name, last_inbound_at)
    values (${tenantId}, ${m.userId}, ${m.profileName}, ${m.timestamp}) returning id`
  return created!.id
}

/**
 * The contact's conversation on this number, locked until the transaction ends (two messages of one
 * customer are recorded one after the other). An existing one is only read here: the update after the
 * message insert is its one write. A missing one is created; a race with another first message is
 * settled by the unique key.
 */
async function lockConversation(tx: TransactionSql, number: ResolvedNumber, contactId: string, at: Date) {
  type Row = { id: string; assigneeId: string | null }
  const [existing] = await tx<Row[]>`
    select id, assignee_id as "assigneeId" from public.conversations
    where tenant_id = ${number.tenantId} and number_id = ${number.id} and contact_id = ${contactId}
    for no key update`
  if (existing) return existing
  const [created] = await tx<Row[]>`
    insert into public.conversations (tenant_id, number_id, contact_id, last_message_at)
    values (${number.tenantId}, ${number.id}, ${contactId}, ${at})
    on conflict (tenant_id, number_id, contact_id) do update set updated_at = now()
    returning id, assignee_id as "assigneeId"`
  return created!
}
