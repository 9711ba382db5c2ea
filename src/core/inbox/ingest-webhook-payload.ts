// Applies stored webhook payloads: every entry, change, message and status in them, each routed to its
// tenant by phone_number_id (one POST can concern numbers of several tenants). Statuses — most of what
// Meta posts during a campaign — are gathered over the whole batch and applied together in a few
// set-based statements; other events are applied one by one, each in a savepoint, so one bad event is
// reported as a problem of its payload and the rest still land.
import type { TransactionSql } from 'postgres'
import { applyOptOutKeyword } from '@/core/opt-out/apply-opt-out-keyword'
import { normalizeMessagingTier } from '@/core/whatsapp/normalize-messaging-tier'
import { parseWebhook } from '@/core/whatsapp/parse-webhook'
import type { MessageEvent, StatusEvent, WebhookEvent } from '@/core/whatsapp/webhook-events'
import { applyMessageStatuses, type TenantStatusUpdate } from './apply-message-status'
import { recordInboundMessage } from './record-inbound-message'
import { createNumberResolver } from './resolve-number'

export interface PayloadOutcome {
  tenantIds: string[]
  problems: string[]
}

export interface IngestOutcome extends PayloadOutcome {
  mediaToFetch: string[]
  /** New customer messages (not system notices) on assigned conversations: their agents may be notified. */
  inbound: { tenantId: string; conversationId: string }[]
  /** Automatic replies queued here (opt-out confirmations), for the caller to hand to the send queue after commit. */
  sends: { id: string; phoneNumberId: string }[]
  counts: { messages: number; duplicates: number; statuses: number; parked: number; other: number }
}

export interface BatchOutcome extends Omit<IngestOutcome, 'tenantIds' | 'problems'> {
  /** Per payload, in the order given: the tenants it concerned and what could not be applied. */
  payloads: PayloadOutcome[]
}

const TEMPLATE_STATUSES = new Set(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED'])

interface Sink {
  outcome: BatchOutcome
  tenants: Set<string>
  problems: string[]
}

/** One payload: the batch of one it is. */
export async function ingestWebhookPayload(tx: TransactionSql, payload: unknown): Promise<IngestOutcome> {
  const { payloads, ...rest } = await ingestWebhookPayloads(tx, [payload])
  return { ...payloads[0]!, ...rest }
}

/**
 * Applies many payloads in the caller's transaction. A failure of the status statements is not caught:
 * the caller retries the payloads one by one, so a poison payload holds back nobody but itself.
 */
export async function ingestWebhookPayloads(tx: TransactionSql, payloads: unknown[]): Promise<BatchOutcome> {
  const resolve = createNumberResolver(tx)
  const outcome: BatchOutcome = { payloads: [], mediaToFetch: [], inbound: [], sends: [], counts: { messages: 0, duplicates: 0, statuses: 0, parked: 0, other: 0 } }
  const sinks: Sink[] = payloads.map(() => ({ outcome, tenants: new Set(), problems: [] }))
  const statuses: { update: TenantStatusUpdate; event: StatusEvent; sink: Sink }[] = []

  for (const [index, payload] of payloads.entries()) {
    const sink = sinks[index]!
    for (const event of parseWebhook(payload)) {
      if (event.kind === 'status') {
        const number = await resolve(event.phoneNumberId)
        if (!number) sink.problems.push(`status ${event.wamid}: unknown phone_number_id ${event.phoneNumberId}`)
        else {
          sink.tenants.add(number.tenantId)
          statuses.push({ update: { ...event, tenantId: number.tenantId }, event, sink })
        }
        continue
      }
      // A savepoint per event: one bad event is rolled back alone and the others still land.
      try {
        await tx.savepoint((sp) => applyEvent(sp as unknown as TransactionSql, event, resolve, sink))
      } catch (error) {
        sink.problems.push(`${event.kind}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  const applied = await applyMessageStatuses(tx, statuses.map((s) => s.update))
  applied.forEach((result, i) => {
    const { event, sink } = statuses[i]!
    if (result === 'unknown_status') sink.problems.push(`status ${event.wamid}: unknown status ${event.status}`)
    else if (result === 'parked') outcome.counts.parked++
    else outcome.counts.statuses++
  })

  outcome.payloads = sinks.map((s) => ({ tenantIds: [...s.tenants], problems: s.problems }))
  return outcome
}

async function applyEvent(
  tx: TransactionSql,
  event: WebhookEvent,
  resolve: ReturnType<typeof createNumberResolver>,
  { outcome, tenants, problems }: Sink,
) {
  switch (event.kind) {
    case 'message': {
      const number = await resolve(event.phoneNumberId)
      if (!number) return void problems.push(`message ${event.wamid}: unknown phone_number_id ${event.phoneNumberId}`)
      tenants.add(number.tenantId)
      const recorded = await recordInboundMessage(tx, number, event)
      if (!recorded) return void outcome.counts.duplicates++
      outcome.counts.messages++
      if (recorded.mediaRowId) outcome.mediaToFetch.push(recorded.mediaRowId)
      if (event.type !== 'system' && recorded.assigneeId) outcome.inbound.push({ tenantId: number.tenantId, conversationId: recorded.conversationId })
      await applyOptOut(tx, { tenantId: number.tenantId, ...recorded }, event, outcome, problems)
      return
    }
    case 'template_status': {
      const status = String(event.event ?? '').toUpperCase()
      if (!TEMPLATE_STATUSES.has(status)) return void problems.push(`template ${event.name}: unhandled event ${status}`)
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
      if (event.kind === 'unknown' || event.kind === 'value_error') problems.push(`${event.kind}: ${describe(event)}`)
  }
}

// Only for a message just inserted (a re-delivery returned above), so a confirmation is queued once. A
// failure here is reported, and its savepoint keeps the customer's message recorded regardless.
async function applyOptOut(tx: TransactionSql, ref: Parameters<typeof applyOptOutKeyword>[1], event: MessageEvent, outcome: BatchOutcome, problems: string[]) {
  try {
    const reply = await tx.savepoint((sp) => applyOptOutKeyword(sp as unknown as TransactionSql, ref, event))
    if (reply) outcome.sends.push({ id: reply.id, phoneNumberId: reply.phoneNumberId })
  } catch (error) {
    problems.push(`opt-out ${event.wamid}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function describe(event: WebhookEvent): string {
  const text = JSON.stringify(event)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}
