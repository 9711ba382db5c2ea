// Acts on a customer's new inbound message that is an opt-out keyword (unsubscribes the contact and
// queues the tenant's confirmation) or a re-subscribe keyword (clears the opt-out). Runs once per
// message: the caller calls it only for a message it has just inserted.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { queueOutboundMessage, type QueuedMessage } from '@/core/inbox/queue-outbound-message'
import { loadTenantCampaignSettings } from '@/core/settings/load-tenant-campaign-settings'
import type { MessageEvent } from '@/core/whatsapp/webhook-events'
import { keywordForm, matchKeyword } from './match-opt-out-keyword'

export interface InboundRef {
  tenantId: string
  contactId: string
  conversationId: string
  messageId: string
}

/** Returns the queued confirmation, to be handed to the send queue after commit; null when none was queued. */
export async function applyOptOutKeyword(tx: TransactionSql, ref: InboundRef, event: MessageEvent): Promise<QueuedMessage | null> {
  // Most messages are sentences: they are ruled out before the tenant's settings are read.
  const candidates = keywordCandidates(event).filter((text) => keywordForm(text) !== null)
  if (!candidates.length) return null
  const { optOut } = await loadTenantCampaignSettings(tx, ref.tenantId)
  if (!optOut.enabled) return null

  for (const text of candidates) {
    const keyword = matchKeyword(text, optOut.keywords)
    if (keyword) return optOutContact(tx, ref, keyword, text.trim(), optOut.confirmation)
  }
  for (const text of candidates) {
    const keyword = matchKeyword(text, optOut.resubscribeKeywords)
    if (!keyword) continue
    await resubscribeContact(tx, ref, keyword)
    return null
  }
  return null
}

/** What the customer said, for a typed message or a tapped quick-reply / list button (its title or payload). */
function keywordCandidates(event: MessageEvent): string[] {
  const c = event.content
  if (c.type === 'text') return [c.body]
  if (c.type === 'button') return [c.text, c.payload].filter((t) => t !== null)
  if (c.type === 'interactive' && (c.kind === 'button_reply' || c.kind === 'list_reply')) return [c.title, c.id].filter((t) => t !== null)
  return []
}

async function optOutContact(tx: TransactionSql, ref: InboundRef, keyword: string, typed: string, confirmation: string): Promise<QueuedMessage | null> {
  // A contact already opted out keeps the time and reason of the first opt-out; they still get the confirmation.
  const [contact] = await tx<{ blocked: boolean; waId: string | null }[]>`
    update public.contacts set
      opted_out_at = coalesce(opted_out_at, now()),
      opt_out_reason = case when opted_out_at is null then ${`keyword: ${typed.slice(0, 100)}`} else opt_out_reason end
    where id = ${ref.contactId} and tenant_id = ${ref.tenantId}
    returning blocked, wa_id as "waId"`
  const reply = contact && !contact.blocked && contact.waId ? await queueConfirmation(tx, ref, confirmation) : { queued: null, skipped: 'contact cannot be messaged' }
  await tx`
    insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id, details)
    values (${ref.tenantId}, null, 'contact.opted_out', 'contact', ${ref.contactId},
            ${tx.json({ keyword, messageId: ref.messageId, confirmationId: reply.queued?.id ?? null, ...(reply.skipped ? { confirmationSkipped: reply.skipped } : {}) })})`
  return reply.queued
}

// Its own savepoint: a confirmation the rules refuse (the window already closed for a late webhook) must
// not undo the opt-out itself.
async function queueConfirmation(tx: TransactionSql, ref: InboundRef, body: string): Promise<{ queued: QueuedMessage | null; skipped?: string }> {
  try {
    const queued = await tx.savepoint((sp) =>
      queueOutboundMessage(sp as unknown as TransactionSql, { tenantId: ref.tenantId, conversationId: ref.conversationId, userId: null, input: { type: 'text', text: { body } } }),
    )
    return { queued }
  } catch (error) {
    if (error instanceof AppError) return { queued: null, skipped: error.message }
    throw error
  }
}

async function resubscribeContact(tx: TransactionSql, ref: InboundRef, keyword: string) {
  const [contact] = await tx`
    update public.contacts set opted_out_at = null, opt_out_reason = null
    where id = ${ref.contactId} and tenant_id = ${ref.tenantId} and opted_out_at is not null returning id`
  if (contact)
    await tx`
      insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id, details)
      values (${ref.tenantId}, null, 'contact.resubscribed', 'contact', ${ref.contactId}, ${tx.json({ keyword, messageId: ref.messageId })})`
}
