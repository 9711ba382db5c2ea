// Sends one pending outbound message to Meta. Claiming it (pending → queued) makes delivery happen
// once even if the request's after-hook and the worker's sweep race for the same message.
import { applyParkedStatuses } from '@/core/inbox/apply-message-status'
import { GraphApiError, classifyGraphError, type GraphErrorInfo } from '@/core/whatsapp/graph-errors'
import type { OutboundMessage } from '@/core/whatsapp/outbound-message'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { openAccessToken } from './access-token'
import type { GraphClient } from '@/core/whatsapp/graph-client'

export interface DeliveryDeps {
  db: Db
  graph: GraphClient
  encryptionKey: string
  /** Waits before a transient retry; replaced in tests. */
  sleep?: (ms: number) => Promise<void>
}

// Until the send engine brings queue-level retries, a transient failure is retried a few times here.
const RETRY_DELAYS_MS = [500, 2_000, 5_000]

export type DeliveryOutcome = { status: 'sent'; wamid: string } | { status: 'failed'; error: GraphErrorInfo } | { status: 'skipped' }

export async function deliverOutboundMessage(deps: DeliveryDeps, messageId: string): Promise<DeliveryOutcome> {
  const [claimed] = await deps.db.sql<
    { tenantId: string; numberId: string; body: OutboundMessage; phoneNumberId: string; token: string }[]
  >`
    update public.messages m set status = 'queued'
    from public.whatsapp_numbers n
    where m.id = ${messageId} and m.status = 'pending' and m.direction = 'outbound' and n.id = m.number_id
    returning m.tenant_id as "tenantId", m.number_id as "numberId", m.content as body,
              n.phone_number_id as "phoneNumberId", n.access_token_ciphertext as token`
  if (!claimed) return { status: 'skipped' }

  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
  let lastError: GraphErrorInfo | undefined
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
    try {
      const token = openAccessToken(claimed.token, claimed.phoneNumberId, deps.encryptionKey)
      const { wamid } = await deps.graph.sendMessage(claimed.phoneNumberId, token, claimed.body)
      await deps.db.withService(async (tx) => {
        await tx`
          update public.messages set wamid = ${wamid}, status = 'sent', sent_at = coalesce(sent_at, now())
          where id = ${messageId} and status = 'queued'`
        // Meta may have posted "delivered" or "read" before its answer reached us.
        await applyParkedStatuses(tx, claimed.tenantId, wamid)
      })
      return { status: 'sent', wamid }
    } catch (error) {
      lastError = error instanceof GraphApiError ? error.info : classifyGraphError({ cause: error })
      const retryable = lastError.kind === 'transient' || lastError.kind === 'throttled'
      if (!retryable || attempt === RETRY_DELAYS_MS.length) break
      await sleep(lastError.retryAfterMs ?? RETRY_DELAYS_MS[attempt]!)
    }
  }
  const error = lastError!
  await deps.db.withService(async (tx) => {
    await tx`
      update public.messages set status = 'failed', failed_at = now(), error_code = ${error.code},
        error_title = ${error.title}, error_details = ${error.agentMessage}
      where id = ${messageId}`
    // A rejected token or permission means every send on this number will fail: flag it for an admin.
    if (error.kind === 'auth')
      await tx`
        update public.whatsapp_numbers set status = 'needs_attention', last_error = ${tx.json({ code: error.code, title: error.title, at: new Date().toISOString() })}
        where id = ${claimed.numberId}`
  })
  log.warn({ messageId, code: error.code, kind: error.kind }, 'outbound message failed')
  return { status: 'failed', error }
}
