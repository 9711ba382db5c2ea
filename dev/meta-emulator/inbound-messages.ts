// The customer's phone: turns a control-API description of an inbound message (any type Meta sends) into
// Meta's exact `messages` webhook, stores inbound media so the app can download it, opens the 24 h
// service window and posts the signed payload. Several messages may go out in one batched payload.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { AppError, notFound } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { digitsOf, pairKey, statsFor, toWaId, type EmulatorState, type RegisteredNumber } from './emulator-state'
import { makeWamid } from './make-ids'
import { storeMedia } from './media-store'
import { webhookError } from './meta-errors'
import { DEFAULT_INBOUND_MIME, placeholderBytes } from './placeholder-media'
import { deliverWebhook, webhookBytes, type DeliveryResult } from './webhook-delivery'
import { messagesValue } from './webhook-payloads'

const mediaInput = z.strictObject({
  id: z.string().optional(),
  // The file itself, base64; without it a small placeholder file of the MIME type is stored.
  data: z.base64().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
})

const TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
] as const
type InboundType = (typeof TYPES)[number]
const MEDIA = new Set<InboundType>(['image', 'video', 'audio', 'voice', 'document', 'sticker'])
// These need their own object in the request; media, system and unsupported have usable defaults.
const NEEDS_OBJECT = new Set<InboundType>(['text', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order'])

export const inboundSchema = z
  .strictObject({
    phoneNumberId: z.string().min(1),
    from: z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be the customer phone number in international format'),
    profileName: z.string().optional(),
    type: z.enum(TYPES),
    // Unix seconds; defaults to now. It also dates the service window the message opens.
    timestamp: z.number().int().positive().optional(),
    context: z
      .strictObject({
        id: z.string().optional(),
        from: z.string().optional(),
        forwarded: z.boolean().optional(),
        frequently_forwarded: z.boolean().optional(),
        referred_product: z.strictObject({ catalog_id: z.string(), product_retailer_id: z.string() }).optional(),
      })
      .optional(),
    referral: z.record(z.string(), z.unknown()).optional(),
    text: z.strictObject({ body: z.string().min(1) }).optional(),
    image: mediaInput.optional(),
    video: mediaInput.optional(),
    audio: mediaInput.optional(),
    voice: mediaInput.optional(),
    document: mediaInput.optional(),
    sticker: mediaInput.optional(),
    location: z
      .strictObject({
        latitude: z.number(),
        longitude: z.number(),
        name: z.string().optional(),
        address: z.string().optional(),
        url: z.string().optional(),
      })
      .optional(),
    contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: z.string() }) })).min(1).optional(),
    interactive: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('button_reply'), button_reply: z.strictObject({ id: z.string(), title: z.string() }) }),
        z.strictObject({
          type: z.literal('list_reply'),
          list_reply: z.strictObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
        }),
        z.strictObject({
          type: z.literal('nfm_reply'),
          nfm_reply: z.strictObject({ name: z.string().default('flow'), body: z.string().default('Sent'), response_json: z.string() }),
        }),
      ])
      .optional(),
    button: z.strictObject({ payload: z.string(), text: z.string() }).optional(),
    reaction: z.strictObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
    order: z
      .strictObject({
        catalog_id: z.string(),
        text: z.string().optional(),
        product_items: z
          .array(z.strictObject({ product_retailer_id: z.string(), quantity: z.number(), item_price: z.number(), currency: z.string() }))
          .min(1),
      })
      .optional(),
    system: z
      .strictObject({
        type: z.enum(['user_changed_number', 'customer_identity_changed']).default('user_changed_number'),
        body: z.string().optional(),
        wa_id: z.string().optional(),
        identity: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    unsupported: z.strictObject({ type: z.string() }).optional(),
  })
  .superRefine((input, ctx) => {
    if (NEEDS_OBJECT.has(input.type) && input[input.type as keyof typeof input] === undefined)
      ctx.addIssue({ code: 'custom', path: [input.type], message: `is required for type ${input.type}` })
  })
export type InboundInput = z.infer<typeof inboundSchema>

interface BuiltMessage {
  number: RegisteredNumber
  waId: string
  profileName: string | undefined
  message: Record<string, unknown>
  mediaId?: string
}

function mediaObject(state: EmulatorState, number: RegisteredNumber, input: InboundInput, wamid: string) {
  const kind = input.type === 'voice' ? 'audio' : input.type
  const given = (input.type === 'voice' ? (input.voice ?? input.audio) : input[kind as 'image']) ?? {}
  const existing = given.id ? state.media.get(given.id) : undefined
  if (given.id && !existing) throw notFound(`media ${given.id}`)
  const mimeType = given.mime_type ?? existing?.mimeType ?? (input.type === 'voice' ? 'audio/ogg; codecs=opus' : DEFAULT_INBOUND_MIME[kind]!)
  const media =
    existing ??
    storeMedia(state, number, mimeType, given.data ? Buffer.from(given.data, 'base64') : placeholderBytes(mimeType, wamid), given.filename)
  const object = {
    ...(given.caption !== undefined ? { caption: given.caption } : {}),
    ...(kind === 'document' ? { filename: given.filename ?? media.filename ?? 'document.pdf' } : {}),
    mime_type: media.mimeType,
    // Webhooks carry the file hash base64-encoded (the media-URL endpoint answers it in hex).
    sha256: createHash('sha256').update(media.bytes).digest('base64'),
    id: media.id,
    ...(kind === 'audio' ? { voice: input.type === 'voice' || given.voice === true } : {}),
    ...(kind === 'sticker' ? { animated: given.animated ?? false } : {}),
  }
  return { kind, object, mediaId: media.id }
}

function buildMessage(state: EmulatorState, input: InboundInput): BuiltMessage {
  const number = state.numbers.get(input.phoneNumberId)
  if (!number) throw notFound(`phone number ${input.phoneNumberId}`)
  const waId = toWaId(input.from)
  const wamid = makeWamid(waId, 'inbound')
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const base = { from: waId, id: wamid, timestamp: String(timestamp) }
  const context = input.context && {
    context: {
      ...(input.context.id ? { from: input.context.from ?? digitsOf(number.displayPhoneNumber), id: input.context.id } : {}),
      ...(input.context.forwarded ? { forwarded: true } : {}),
      ...(input.context.frequently_forwarded ? { frequently_forwarded: true } : {}),
      ...(input.context.referred_product ? { referred_product: input.context.referred_product } : {}),
    },
  }
  let typed: Record<string, unknown>
  let mediaId: string | undefined
  if (MEDIA.has(input.type)) {
    const media = mediaObject(state, number, input, wamid)
    typed = { type: media.kind, [media.kind]: media.object }
    mediaId = media.mediaId
  } else if (input.type === 'system') {
    const system = input.system ?? { type: 'user_changed_number' as const }
    const newWaId = system.wa_id ?? waId
    typed = {
      type: 'system',
      system: {
        body: system.body ?? `${input.profileName ?? waId} changed from ${waId} to ${newWaId}`,
        ...(system.type === 'user_changed_number' ? { wa_id: newWaId } : {}),
        ...(system.identity ? { identity: system.identity } : {}),
        type: system.type,
      },
    }
  } else if (input.type === 'unsupported') {
    // Message-level errors carry no href (status errors do).
    const { code, title, message, error_data } = webhookError(131051)
    typed = { type: 'unsupported', ...(input.unsupported ? { unsupported: input.unsupported } : {}), errors: [{ code, title, message, error_data }] }
  } else {
    typed = { type: input.type, [input.type]: input[input.type] }
  }
  const message = { ...base, ...typed, ...(input.referral ? { referral: input.referral } : {}), ...context }
  return { number, waId, profileName: input.profileName, message, ...(mediaId ? { mediaId } : {}) }
}

// One entry per WABA, one change per business number, one contact per sender, as Meta batches them.
function envelope(built: BuiltMessage[]) {
  const byWaba = new Map<string, Map<string, BuiltMessage[]>>()
  for (const b of built) {
    const numbers = byWaba.get(b.number.wabaId) ?? new Map<string, BuiltMessage[]>()
    numbers.set(b.number.phoneNumberId, [...(numbers.get(b.number.phoneNumberId) ?? []), b])
    byWaba.set(b.number.wabaId, numbers)
  }
  return {
    object: 'whatsapp_business_account',
    entry: [...byWaba].map(([wabaId, numbers]) => ({
      id: wabaId,
      changes: [...numbers.values()].map((items) => {
        // A system message (number change) arrives without a contact for its sender.
        const senders = new Map(
          items.filter((b) => b.message.type !== 'system').map((b) => [b.waId, { profile: { name: b.profileName ?? b.waId }, wa_id: b.waId }]),
        )
        return {
          value: messagesValue(items[0]!.number, {
            ...(senders.size ? { contacts: [...senders.values()] } : {}),
            messages: items.map((b) => b.message),
          }),
          field: 'messages',
        }
      }),
    })),
  }
}

export interface InboundResult extends DeliveryResult {
  wamids: string[]
  mediaIds: (string | null)[]
  payload: unknown
}

export async function injectInbound(state: EmulatorState, body: unknown): Promise<InboundResult> {
  const inputs = (Array.isArray(body) ? body : [body]).map((item) => parseInput(inboundSchema, item))
  if (!inputs.length) throw new AppError('validation_failed', 'send at least one inbound message')
  const built = inputs.map((input) => buildMessage(state, input))
  for (const [i, b] of built.entries()) {
    statsFor(state, b.number.phoneNumberId).inbound++
    // A number change is Meta's notice, not the customer writing: it opens no service window.
    if (b.message.type !== 'system') state.lastInbound.set(pairKey(b.number.phoneNumberId, b.waId), (inputs[i]!.timestamp ?? 0) * 1000 || Date.now())
  }
  const payload = envelope(built)
  const result = await deliverWebhook(state, webhookBytes(payload), built[0]!.number.phoneNumberId)
  return { ...result, wamids: built.map((b) => String(b.message.id)), mediaIds: built.map((b) => b.mediaId ?? null), payload }
}
