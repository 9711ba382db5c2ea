// Turns one Meta webhook POST body into flat typed events (messages, statuses, account-level updates).
// Never throws: each entry, change and item is parsed on its own, and what cannot be read becomes an `unknown` event.
import { z } from 'zod'
import { contactProfileSchema, parseInboundMessage, type ContactProfile } from './parse-inbound-message'
import type { WebhookEvent } from './webhook-events'
import {
  boolOrNull,
  errorList,
  idLike,
  maybe,
  metaErrorSchema,
  nonEmpty,
  optional,
  plainObject,
  requiredId,
  summarise,
  text,
  timeOrNull,
  toId,
  unixTime,
} from './webhook-field-readers'

// ---------- statuses and other fields ----------

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixTime,
  recipient_id: idLike,
  recipient_user_id: nonEmpty,
  biz_opaque_callback_data: text,
  errors: errorList,
  pricing: optional(z.object({ billable: boolOrNull, category: text, pricing_model: text, type: text })),
  conversation: optional(z.object({ id: idLike, expiration_timestamp: timeOrNull, origin: optional(z.object({ type: text })) })),
})

const limit = maybe.transform((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v ? v : null))

const fieldSchemas = {
  message_template_status_update: z.object({
    event: z.string().min(1),
    message_template_id: requiredId,
    message_template_name: text,
    message_template_language: text,
    reason: text,
    message_template_category: text,
  }),
  message_template_quality_update: z.object({
    message_template_id: requiredId,
    message_template_name: text,
    message_template_language: text,
    previous_quality_score: text,
    new_quality_score: z.string().min(1),
  }),
  phone_number_quality_update: z.object({
    display_phone_number: idLike,
    event: z.string().min(1),
    current_limit: limit,
    old_limit: limit,
    max_daily_conversations_per_business: limit,
  }),
  account_update: z.object({ event: z.string().min(1), phone_number: idLike }),
}

const entrySchema = z.object({ id: requiredId, time: timeOrNull, changes: z.array(z.unknown()) })
const changeSchema = z.object({ field: z.string().min(1), value: plainObject })
const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: requiredId, display_phone_number: idLike }),
})

// ---------- walking the payload ----------

interface Scope {
  wabaId: string | null
  phoneNumberId: string | null
  field: string | null
  out: WebhookEvent[]
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : typeof error
  } catch {
    return 'unreadable error'
  }
}

function pushUnknown(scope: Scope, reason: string, raw: unknown): void {
  scope.out.push({ kind: 'unknown', wabaId: scope.wabaId, phoneNumberId: scope.phoneNumberId, field: scope.field, reason, raw })
}

/** Runs one item's reader so that even an exception (a hostile getter, say) only costs that item. */
function guarded(scope: Scope, raw: unknown, label: string, read: () => void): void {
  try {
    read()
  } catch (error) {
    pushUnknown(scope, `${label} could not be read: ${describeError(error)}`, raw)
  }
}

/** The array at `value[key]`: [] when absent or null, null (reported) when it is something else. */
function arrayAt(scope: Scope, value: Record<string, unknown>, key: string): unknown[] | null {
  const list = value[key]
  if (list === undefined || list === null) return []
  if (Array.isArray(list)) return list
  pushUnknown(scope, `value.${key} is not an array`, list)
  return null
}

function readMessagesChange(scope: Scope & { wabaId: string }, value: Record<string, unknown>): void {
  const head = messagesValueSchema.safeParse(value)
  if (!head.success) return pushUnknown(scope, `messages change without usable metadata: ${summarise(head.error)}`, value)
  const phoneNumberId = head.data.metadata.phone_number_id
  const displayPhoneNumber = head.data.metadata.display_phone_number
  const inner = { ...scope, phoneNumberId }
  const routing = { wabaId: scope.wabaId, phoneNumberId }

  const contacts: ContactProfile[] = []
  for (const raw of arrayAt(inner, value, 'contacts') ?? []) {
    guarded(inner, raw, 'contact', () => {
      const r = contactProfileSchema.safeParse(raw)
      if (r.success) contacts.push(r.data)
      else pushUnknown(inner, `invalid contact: ${summarise(r.error)}`, raw)
    })
  }

  const lists = [arrayAt(inner, value, 'messages'), arrayAt(inner, value, 'statuses'), arrayAt(inner, value, 'errors')]
  // Contacts alone are no event; a change with nothing else is still reported so the raw log keeps it.
  if (lists.every((list) => list !== null && list.length === 0)) {
    pushUnknown(inner, 'messages change carried no messages, statuses or errors', value)
  }
  const [messages = [], statuses = [], errors = []] = lists.map((list) => list ?? [])

  for (const raw of messages) {
    guarded(inner, raw, 'message', () => {
      const r = parseInboundMessage(raw, { ...routing, displayPhoneNumber, contacts })
      if (r.ok) scope.out.push(r.event)
      else pushUnknown(inner, r.reason, raw)
    })
  }

  for (const raw of statuses) {
    guarded(inner, raw, 'status', () => {
      const r = statusSchema.safeParse(raw)
      if (!r.success) return pushUnknown(inner, `invalid status: ${summarise(r.error)}`, raw)
      const s = r.data
      scope.out.push({
        kind: 'status',
        ...routing,
        wamid: s.id,
        status: s.status,
        recipientId: s.recipient_id,
        recipientUserId: s.recipient_user_id,
        timestamp: s.timestamp,
        errors: s.errors,
        pricing: s.pricing && { billable: s.pricing.billable, category: s.pricing.category, model: s.pricing.pricing_model, type: s.pricing.type },
        conversation: s.conversation && {
          id: s.conversation.id,
          origin: s.conversation.origin?.type ?? null,
          expiresAt: s.conversation.expiration_timestamp,
        },
        bizOpaqueCallbackData: s.biz_opaque_callback_data,
      })
    })
  }

  for (const raw of errors) {
    guarded(inner, raw, 'error', () => {
      const r = metaErrorSchema.safeParse(raw)
      if (!r.success) return pushUnknown(inner, `invalid value error: ${summarise(r.error)}`, raw)
      scope.out.push({ kind: 'value_error', ...routing, displayPhoneNumber, error: r.data })
    })
  }
}

function readFieldChange(scope: Scope & { wabaId: string; field: string }, value: Record<string, unknown>, time: Date | null): void {
  const { wabaId, field } = scope
  if (field === 'message_template_status_update') {
    const r = fieldSchemas[field].safeParse(value)
    if (!r.success) return pushUnknown(scope, `invalid ${field}: ${summarise(r.error)}`, value)
    const v = r.data
    scope.out.push({
      kind: 'template_status',
      wabaId,
      time,
      templateId: v.message_template_id,
      name: v.message_template_name,
      language: v.message_template_language,
      event: v.event,
      reason: v.reason,
      category: v.message_template_category,
    })
  } else if (field === 'message_template_quality_update') {
    const r = fieldSchemas[field].safeParse(value)
    if (!r.success) return pushUnknown(scope, `invalid ${field}: ${summarise(r.error)}`, value)
    const v = r.data
    scope.out.push({
      kind: 'template_quality',
      wabaId,
      time,
      templateId: v.message_template_id,
      name: v.message_template_name,
      language: v.message_template_language,
      previousScore: v.previous_quality_score,
      newScore: v.new_quality_score,
    })
  } else if (field === 'phone_number_quality_update') {
    const r = fieldSchemas[field].safeParse(value)
    if (!r.success) return pushUnknown(scope, `invalid ${field}: ${summarise(r.error)}`, value)
    const v = r.data
    scope.out.push({
      kind: 'phone_number_quality',
      wabaId,
      time,
      displayPhoneNumber: v.display_phone_number,
      event: v.event,
      currentLimit: v.current_limit ?? v.max_daily_conversations_per_business,
      oldLimit: v.old_limit,
    })
  } else if (field === 'account_update') {
    const r = fieldSchemas[field].safeParse(value)
    if (!r.success) return pushUnknown(scope, `invalid ${field}: ${summarise(r.error)}`, value)
    scope.out.push({ kind: 'account_update', wabaId, time, event: r.data.event, phoneNumber: r.data.phone_number, details: value })
  } else {
    pushUnknown(scope, `unhandled field "${field}"`, value)
  }
}

function readEntry(out: WebhookEvent[], entry: unknown): void {
  const scope: Scope = { wabaId: null, phoneNumberId: null, field: null, out }
  const e = entrySchema.safeParse(entry)
  if (!e.success) return pushUnknown({ ...scope, wabaId: toId(plainObject.safeParse(entry).data?.id) }, `invalid entry: ${summarise(e.error)}`, entry)
  const wabaId = e.data.id
  if (e.data.changes.length === 0) pushUnknown({ ...scope, wabaId }, 'entry carried no changes', entry)
  for (const change of e.data.changes) {
    const changeScope = { ...scope, wabaId }
    guarded(changeScope, change, 'change', () => {
      const c = changeSchema.safeParse(change)
      if (!c.success) {
        const field = plainObject.safeParse(change).data?.field
        return pushUnknown({ ...changeScope, field: typeof field === 'string' ? field : null }, `invalid change: ${summarise(c.error)}`, change)
      }
      const fieldScope = { ...changeScope, field: c.data.field }
      if (c.data.field === 'messages') readMessagesChange(fieldScope, c.data.value)
      else readFieldChange(fieldScope, c.data.value, e.data.time)
    })
  }
}

const payloadSchema = z.object({ object: z.literal('whatsapp_business_account'), entry: z.array(z.unknown()) })

/**
 * Every event in one webhook POST body, in payload order. Duplicates are returned as sent (Meta delivers at least
 * once): deduplicate downstream by wamid + status. Never throws.
 */
export function parseWebhook(payload: unknown): WebhookEvent[] {
  const out: WebhookEvent[] = []
  const top: Scope = { wabaId: null, phoneNumberId: null, field: null, out }
  try {
    const p = payloadSchema.safeParse(payload)
    if (!p.success) {
      pushUnknown(top, `not a WhatsApp Business Account webhook: ${summarise(p.error)}`, payload)
      return out
    }
    if (p.data.entry.length === 0) pushUnknown(top, 'webhook carried no entries', payload)
    for (const entry of p.data.entry) guarded(top, entry, 'entry', () => readEntry(out, entry))
  } catch (error) {
    pushUnknown(top, `webhook could not be read: ${describeError(error)}`, payload)
  }
  return out
}
