// An agent's outbound message, checked before anything reaches Meta: Meta's schema and limits, the
// 24-hour customer-service window, the contact's state and, for templates, the approved definition and
// its parameter counts. Stored as `pending`; delivery happens after the request (later: the send queue).
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { AppError, notFound } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { checkTemplateParameters } from '@/core/whatsapp/check-template-parameters'
import { messagePreview } from '@/core/whatsapp/message-preview'
import { outboundMessageSchema, requiresServiceWindow, type OutboundMessage } from '@/core/whatsapp/outbound-message'

// The route accepts Meta's message object without the envelope; we add the recipient ourselves.
export const outboundInputSchema = z.object({ type: z.string().min(1).max(32) }).passthrough()
export type OutboundInput = z.infer<typeof outboundInputSchema>

export interface QueuedMessage {
  id: string
  /** The sending number, whose send queue takes the message. */
  phoneNumberId: string
  status: string
  type: string
  createdAt: Date
}

export async function queueOutboundMessage(
  tx: TransactionSql,
  /** `userId` null: an automatic reply (an opt-out confirmation), sent by nobody in particular. */
  args: { tenantId: string; conversationId: string; userId: string | null; input: OutboundInput; now?: Date },
): Promise<QueuedMessage> {
  const now = args.now ?? new Date()
  const [conversation] = await tx<
    { id: string; numberId: string; phoneNumberId: string; accountId: string; contactId: string; waId: string | null; blocked: boolean; windowEnd: Date | null }[]
  >`
    select c.id, c.number_id as "numberId", n.phone_number_id as "phoneNumberId", n.account_id as "accountId", c.contact_id as "contactId", ct.wa_id as "waId",
           ct.blocked, c.service_window_expires_at as "windowEnd"
    from public.conversations c
    join public.contacts ct on ct.id = c.contact_id
    join public.whatsapp_numbers n on n.id = c.number_id
    where c.id = ${args.conversationId} and c.tenant_id = ${args.tenantId}`
  if (!conversation) throw notFound('Conversation')
  if (conversation.blocked) throw new AppError('conflict', 'This contact is blocked; unblock them to send messages')
  if (!conversation.waId) throw new AppError('conflict', 'This contact has no WhatsApp number to send to')

  const body: OutboundMessage = parseInput(outboundMessageSchema, {
    ...args.input,
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: conversation.waId,
  })
  if (requiresServiceWindow(body) && !(conversation.windowEnd && conversation.windowEnd > now))
    throw new AppError(
      'service_window_closed',
      'The 24-hour window is closed: the customer has not written in the last 24 hours, so only an approved template can be sent',
    )
  if (body.type === 'template') await assertTemplateMatches(tx, args.tenantId, conversation.accountId, body)

  const context = (body as { context?: { message_id?: string } }).context
  const [message] = await tx<Omit<QueuedMessage, 'phoneNumberId'>[]>`
    insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content,
                                 reply_to_wamid, sent_by, "timestamp")
    values (${args.tenantId}, ${conversation.id}, ${conversation.numberId}, ${conversation.contactId}, 'outbound', ${body.type},
            'pending', ${tx.json(body as never)}, ${context?.message_id ?? null}, ${args.userId}, ${now})
    returning id, status, type, created_at as "createdAt"`
  // An attachment uploaded through us is shown from our copy: tie the upload to its message.
  const mediaId = (body[body.type as keyof OutboundMessage] as { id?: unknown } | undefined)?.id
  if (typeof mediaId === 'string')
    await tx`
      update public.media set message_id = ${message!.id}
      where tenant_id = ${args.tenantId} and meta_media_id = ${mediaId} and message_id is null`
  const text = previewText(body)
  await tx`
    update public.conversations set last_message_at = greatest(last_message_at, ${now}),
      last_message_preview = ${messagePreview(body.type, text, body[body.type as keyof OutboundMessage] ?? {})}
    where id = ${conversation.id}`
  return { ...message!, phoneNumberId: conversation.phoneNumberId }
}

async function assertTemplateMatches(tx: TransactionSql, tenantId: string, accountId: string, body: Extract<OutboundMessage, { type: 'template' }>) {
  const [template] = await tx<{ status: string; components: unknown[] }[]>`
    select status, components from public.templates
    where tenant_id = ${tenantId} and account_id = ${accountId}
      and name = ${body.template.name} and language = ${body.template.language.code}`
  if (!template) throw new AppError('validation_failed', `Template ${body.template.name} (${body.template.language.code}) is not synced for this number`)
  if (template.status !== 'APPROVED') throw new AppError('validation_failed', `Template ${body.template.name} is ${template.status}, not APPROVED`)
  const problems = checkTemplateParameters(template.components as never, body)
  if (problems.length) throw new AppError('validation_failed', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems)
}

function previewText(body: OutboundMessage): string | null {
  const inner = body[body.type as keyof OutboundMessage] as Record<string, unknown> | undefined
  if (!inner) return null
  if (typeof inner.body === 'string') return inner.body
  if (typeof inner.caption === 'string') return inner.caption
  const interactiveBody = (inner.body as { text?: string } | undefined)?.text
  return interactiveBody ?? (typeof inner.name === 'string' ? inner.name : null)
}
