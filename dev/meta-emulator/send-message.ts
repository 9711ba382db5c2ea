// `POST /{version}/{phone-number-id}/messages`: mark-as-read, or a send validated with the project's schema
// and Meta's checks in Meta's order. Synchronous errors: 100/131008/131009 (body), 131021, 132xxx (template),
// 130429 (throughput), 131056 (pair rate), 131000/2/131016 (injected outage). Accepted sends that Meta
// would still not deliver (131047 outside the 24 h window, 131026 undeliverable) fail later, by webhook.
import { markAsReadSchema, outboundMessageSchema, requiresServiceWindow } from '@/core/whatsapp/outbound-message'
import { checkTemplateSend } from './check-template-send'
import { digitsOf, pairKey, statsFor, toWaId, type EmulatorState, type RegisteredNumber } from './emulator-state'
import { json, type Reply } from './http-io'
import { makeWamid } from './make-ids'
import { metaErrorFromIssues } from './message-validation'
import { missingParameter, titleOf, whatsappError } from './meta-errors'
import { pairRateAvailable, recordSend, throughputAvailable } from './rate-limits'
import { scheduleStatusWebhooks, type Pricing } from './status-webhooks'

export const SERVICE_WINDOW_MS = 24 * 3_600_000
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker'])

// An outage injected with /control/fail-number answers every request for the number until it expires.
export function checkInjectedFailure(state: EmulatorState, number: RegisteredNumber, now: number) {
  const failure = state.failures.get(number.phoneNumberId)
  if (!failure) return
  if (failure.until <= now || failure.remaining === 0) {
    state.failures.delete(number.phoneNumberId)
    return
  }
  if (failure.remaining !== undefined) failure.remaining--
  throw whatsappError(failure.code)
}

export function windowOpen(state: EmulatorState, phoneNumberId: string, waId: string, now: number) {
  const last = state.lastInbound.get(pairKey(phoneNumberId, waId))
  return last !== undefined && now - last < SERVICE_WINDOW_MS
}

export function sendMessage(state: EmulatorState, number: RegisteredNumber, body: unknown): Reply {
  const now = Date.now()
  checkInjectedFailure(state, number, now)
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  // The project's schema defaults messaging_product; Meta insists on it.
  if (raw.messaging_product === undefined) throw missingParameter('messaging_product')

  if (raw.status !== undefined) {
    const read = markAsReadSchema.safeParse(raw)
    if (!read.success) throw metaErrorFromIssues(read.error.issues, raw)
    state.readReceipts.push({
      phoneNumberId: number.phoneNumberId,
      messageId: read.data.message_id,
      typingIndicator: read.data.typing_indicator !== undefined,
      at: new Date(now).toISOString(),
    })
    statsFor(state, number.phoneNumberId).markedRead++
    return json(200, { success: true })
  }

  const parsed = outboundMessageSchema.safeParse(raw)
  if (!parsed.success) throw metaErrorFromIssues(parsed.error.issues, raw)
  const message = parsed.data
  const waId = toWaId(message.to)
  if (waId === digitsOf(number.displayPhoneNumber)) throw whatsappError(131021)
  if (MEDIA_TYPES.has(message.type)) {
    const id = (raw[message.type] as { id?: string }).id
    const media = id === undefined ? undefined : state.media.get(id)
    if (id !== undefined && media?.wabaId !== number.wabaId)
      throw whatsappError(100, `Param ${message.type}['id'] is not a valid whatsapp business account media attachment ID`)
  }
  const template = message.type === 'template' ? checkTemplateSend(state, number, message.template) : undefined
  if (!throughputAvailable(state, number, now)) throw whatsappError(130429)
  if (!pairRateAvailable(state, number, waId, now)) throw whatsappError(131056)

  recordSend(state, number, waId, now)
  const wamid = makeWamid(waId, 'outbound')
  const stats = statsFor(state, number.phoneNumberId)
  stats.accepted++
  const open = windowOpen(state, number.phoneNumberId, waId, now)
  const failureCode = state.undeliverable.get(waId) ?? (requiresServiceWindow(message) && !open ? 131047 : undefined)
  if (failureCode) stats.failedAsync[failureCode] = (stats.failedAsync[failureCode] ?? 0) + 1

  state.sent.push({
    wamid,
    phoneNumberId: number.phoneNumberId,
    to: message.to,
    waId,
    type: message.type,
    body: raw,
    acceptedAt: new Date(now).toISOString(),
    ...(failureCode ? { failure: { code: failureCode, title: titleOf(failureCode) } } : {}),
  })
  scheduleStatusWebhooks(state, {
    number,
    wamid,
    waId,
    acceptedAt: now,
    pricing: pricingFor(template?.category, open),
    ...(failureCode ? { failure: { code: failureCode } } : {}),
    ...(message.biz_opaque_callback_data === undefined ? {} : { bizOpaqueCallbackData: message.biz_opaque_callback_data }),
  })

  return json(200, {
    messaging_product: 'whatsapp',
    contacts: [{ input: message.to, wa_id: waId }],
    // Meta adds message_status to template sends only.
    messages: [{ id: wamid, ...(template ? { message_status: 'accepted' } : {}) }],
  })
}

// Per-message pricing (PMP, since July 2025): marketing and authentication templates are always billed,
// utility templates only outside an open window, free-form service replies never.
function pricingFor(templateCategory: string | undefined, open: boolean): Pricing {
  if (!templateCategory) return { category: 'service', billable: false, type: 'free_customer_service' }
  const category = templateCategory.toLowerCase()
  const billable = category !== 'utility' || !open
  return { category, billable, type: billable ? 'regular' : 'free_customer_service' }
}
