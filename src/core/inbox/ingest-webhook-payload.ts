// Applies one stored webhook payload: every entry, change, message and status in it, each routed to
// its tenant by phone_number_id (one POST can concern numbers of several tenants). Anything that
// cannot be applied is reported as a problem and stays in the raw log; it never aborts the rest.
import type { TransactionSql } from 'postgres'
import { applyOptOutKeyword } from '@/core/opt-out/apply-opt-out-keyword'
import { normalizeMessagingTier } from '@/core/whatsapp/normalize-messaging-tier'
import { parseWebhook } from '@/core/whatsapp/parse-webhook'
import type { MessageEvent, WebhookEvent } from '@/core/whatsapp/webhook-events'
import { applyMessageStatus } from './apply-message-status'
import { recordInboundMessage } from './record-inbound-message'
import { createNumberResolver } from './resolve-number'

export interface IngestOutcome {
  tenantIds: string[]
  problems: string[]
  mediaToFetch: string[]
  /** New customer messages (not system notices) on assigned conversations: their agents may be notified. */
  inbound: { tenantId: string; conversationId: string }[]
  /** Automatic replies queued here (opt-out confirmations), for the caller to hand to the send queue after commit. */
  sends: { id: string; phoneNumberId: string }[]
  counts: { messages: number; duplicates: number; statuses: number; parked: number; other: number }
}

const TEMPLATE_STATUSES = new Set(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED'])

export async function ingestWebhookPayload(tx: TransactionSql, payload: unknown): Promise<IngestOutcome> {
  const resolve = createNumberResolver(tx)
  const outcome: IngestOutcome = { tenantIds: [], problems: [], mediaToFetch: [], inbound: [], sends: [], counts: { messages: 0, duplicates: 0, statuses: 0, parked: 0, other: 0 } }
  const tenants = new Set<string>()

  for (const event of parseWebhook(payload)) {
    // A savepoint per event: one bad event is rolled back alone and the others still land.
    try {
      await tx.savepoint((sp) => applyEvent(sp as unknown as TransactionSql, event, resolve, outcome, tenants))
    } catch (error) {
      outcome.problems.push(`${event.kind}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  outcome.tenantIds = [...tenants]
  return outcome
}

async function applyEvent(
  tx: TransactionSql,
  event: WebhookEvent,
  resolve: ReturnType<typeof createNumberResolver>,
  outcome: IngestOutcome,
  tenants: Set<string>,
) {
  switch (event.kind) {
    case 'message': {
      const number = await resolve(event.phoneNumberId)
      if (!number) return void outcome.problems.push(`message ${event.wamid}: unknown phone_number_id ${event.phoneNumberId}`)
      tenants.add(number.tenantId)
      const recorded = await recordInboundMessage(tx, number, event)
      if (!recorded) return void outcome.counts.duplicates++
      outcome.counts.messages++
      if (recorded.mediaRowId) outcome.mediaToFetch.push(recorded.mediaRowId)
      if (event.type !== 'system' && recorded.assigneeId) outcome.inbound.push({ tenantId: number.tenantId, conversationId: recorded.conversationId })
      await applyOptOut(tx, { tenantId: number.tenantId, ...recorded }, event, outcome)
      return
    }
    case 'status': {
      const number = await resolve(event.phoneNumberId)
      if (!number) return void outcome.problems.push(`status ${event.wamid}: unknown phone_number_id ${event.phoneNumberId}`)
      tenants.add(number.tenantId)
      const result = await applyMessageStatus(tx, number.tenantId, event)
      if (result === 'unknown_status') outcome.problems.push(`status ${event.wamid}: unknown status ${event.status}`)
      else if (result === 'parked') outcome.counts.parked++
      else outcome.counts.statuses++
      return
    }
    case 'template_status': {
      const status = String(event.event ?? '').toUpperCase()
      if (!TEMPLATE_STATUSES.has(status)) return void outcome.problems.push(`template ${event.name}: unhandled event ${status}`)
      const updated = await tx`
        update public.templates t set status = ${status}, rejected_reason = ${event.reason ?? null}
        from public.whatsapp_business_accounts a
        where a.id = t.account_id and a.waba_id = ${event.wabaId}
          and (t.meta_template_id = ${event.templateId ?? ''} or (t.name = ${event.name ?? ''} and t.language = ${event.language ?? ''}))
        returning t.tenant_id`
      updated.forEach((r) => tenants.add(r.tenant_id))
      outcome.counts.other++
      return
    }
    case 'phone_number_quality': {
      const tier = normalizeMessagingTier(event.currentLimit)
      const digits = String(event.displayPhoneNumber ?? '').replace(/\D/g, '')
      const accounts = await tx`
        update public.whatsapp_business_accounts set messaging_limit_tier = coalesce(${tier}, messaging_limit_tier)
        where waba_id = ${event.wabaId} returning id, tenant_id`
      for (const account of accounts) {
        tenants.add(account.tenant_id)
        // FLAGGED means quality fell to low; UNFLAGGED that it recovered. Other events carry no rating.
        const rating = event.event === 'FLAGGED' ? 'RED' : event.event === 'UNFLAGGED' ? 'GREEN' : null
        await tx`
          update public.whatsapp_numbers set
            quality_rating = coalesce(${rating}, quality_rating),
            status = case when ${event.event === 'FLAGGED'} then 'flagged' when ${event.event === 'UNFLAGGED'} and status = 'flagged' then 'connected' else status end
          where account_id = ${account.id} and regexp_replace(coalesce(display_phone_number, ''), '\\D', '', 'g') = ${digits}`
      }
      outcome.counts.other++
      return
    }
    default:
      // Kept in the raw log for a later capability (template quality, account updates, unknown fields).
      outcome.counts.other++
      if (event.kind === 'unknown' || event.kind === 'value_error') outcome.problems.push(`${event.kind}: ${describe(event)}`)
  }
}

// Only for a message just inserted (a re-delivery returned above), so a confirmation is queued once. A
// failure here is reported, and its savepoint keeps the customer's message recorded regardless.
async function applyOptOut(tx: TransactionSql, ref: Parameters<typeof applyOptOutKeyword>[1], event: MessageEvent, outcome: IngestOutcome) {
  try {
    const reply = await tx.savepoint((sp) => applyOptOutKeyword(sp as unknown as TransactionSql, ref, event))
    if (reply) outcome.sends.push({ id: reply.id, phoneNumberId: reply.phoneNumberId })
  } catch (error) {
    outcome.problems.push(`opt-out ${event.wamid}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function describe(event: WebhookEvent): string {
  const text = JSON.stringify(event)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}
