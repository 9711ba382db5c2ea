// The type-specific part of one inbound message (`item[item.type]`) as MessageContent, and the text it carries.
import { z } from 'zod'
import type { MediaFields, MessageContent, MetaError, SharedContact } from './webhook-events'
import { flag, idLike, listOf, nonEmpty, num, optional, requiredId, summarise, text } from './webhook-field-readers'

const media = { id: requiredId, mime_type: text, sha256: text, url: text }
const mediaFields = (m: { id: string; mime_type: string | null; sha256: string | null; url: string | null }): MediaFields => ({
  mediaId: m.id,
  mimeType: m.mime_type,
  sha256: m.sha256,
  url: m.url,
})

const coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])

const sharedContactSchema = z
  .object({
    name: optional(z.object({ formatted_name: text, first_name: text, last_name: text })),
    phones: listOf(z.object({ phone: text, wa_id: idLike, type: text })),
    emails: listOf(z.object({ email: text, type: text })),
    org: optional(z.object({ company: text })),
    urls: listOf(z.object({ url: z.string() })),
    birthday: text,
  })
  .transform(
    (c): SharedContact => ({
      formattedName: c.name?.formatted_name ?? null,
      firstName: c.name?.first_name ?? null,
      lastName: c.name?.last_name ?? null,
      phones: c.phones.map((p) => ({ phone: p.phone, waId: p.wa_id, type: p.type })),
      emails: c.emails,
      company: c.org?.company ?? null,
      urls: c.urls.map((u) => u.url),
      birthday: c.birthday,
    }),
  )

function parseJsonObject(json: string | null): Record<string, unknown> | null {
  if (json === null) return null
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const interactiveSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('button_reply'), button_reply: z.object({ id: idLike, title: text }) }),
    z.object({ type: z.literal('list_reply'), list_reply: z.object({ id: idLike, title: text, description: text }) }),
    z.object({ type: z.literal('nfm_reply'), nfm_reply: z.object({ name: text, body: text, response_json: text }) }),
  ])
  .transform((i): Extract<MessageContent, { type: 'interactive' }> => {
    const base = { type: 'interactive' as const, kind: i.type, description: null, responseJson: null, response: null }
    if (i.type === 'button_reply') return { ...base, id: i.button_reply.id, title: i.button_reply.title }
    if (i.type === 'list_reply') return { ...base, ...i.list_reply }
    const json = i.nfm_reply.response_json
    return { ...base, id: null, title: null, responseJson: json, response: parseJsonObject(json) }
  })

const contentSchemas = {
  text: z.object({ body: z.string() }).transform((t): MessageContent => ({ type: 'text', body: t.body })),
  image: z.object({ ...media, caption: text }).transform((m): MessageContent => ({ type: 'image', ...mediaFields(m), caption: m.caption })),
  video: z.object({ ...media, caption: text }).transform((m): MessageContent => ({ type: 'video', ...mediaFields(m), caption: m.caption })),
  audio: z.object({ ...media, voice: flag }).transform((m): MessageContent => ({ type: 'audio', ...mediaFields(m), voice: m.voice })),
  document: z
    .object({ ...media, caption: text, filename: text })
    .transform((m): MessageContent => ({ type: 'document', ...mediaFields(m), caption: m.caption, filename: m.filename })),
  sticker: z
    .object({ ...media, animated: flag })
    .transform((m): MessageContent => ({ type: 'sticker', ...mediaFields(m), animated: m.animated })),
  location: z
    .object({
      latitude: coordinate.pipe(z.number().min(-90).max(90)),
      longitude: coordinate.pipe(z.number().min(-180).max(180)),
      name: text,
      address: text,
      url: text,
    })
    .transform((l): MessageContent => ({ type: 'location', ...l })),
  contacts: z
    .array(z.unknown())
    .transform((cards): MessageContent => ({
      type: 'contacts',
      contacts: cards.flatMap((card) => {
        const r = sharedContactSchema.safeParse(card)
        return r.success ? [r.data] : []
      }),
    })),
  interactive: interactiveSchema,
  button: z.object({ payload: text, text: text }).transform((b): MessageContent => ({ type: 'button', ...b })),
  reaction: z
    .object({ message_id: z.string().min(1), emoji: text })
    .transform((r): MessageContent => ({ type: 'reaction', messageId: r.message_id, emoji: r.emoji || null, removed: !r.emoji })),
  order: z
    .object({
      catalog_id: idLike,
      text: text,
      product_items: listOf(z.object({ product_retailer_id: idLike, quantity: num, item_price: num, currency: text })),
    })
    .transform(
      (o): MessageContent => ({
        type: 'order',
        catalogId: o.catalog_id,
        text: o.text,
        items: o.product_items.map((p) => ({
          productRetailerId: p.product_retailer_id,
          quantity: p.quantity,
          itemPrice: p.item_price,
          currency: p.currency,
        })),
      }),
    ),
  system: z
    .object({ body: text, type: text, wa_id: idLike, new_wa_id: idLike, user_id: nonEmpty })
    .transform(
      (s): MessageContent => ({ type: 'system', body: s.body, systemType: s.type, newWaId: s.wa_id ?? s.new_wa_id, newUserId: s.user_id }),
    ),
}

const unsupportedSchema = optional(z.object({ type: nonEmpty }))

export function readContent(type: string, item: Record<string, unknown>, errors: MetaError[]): MessageContent {
  // 'unknown' is the older name Meta used for what is now 'unsupported'.
  if (type === 'unsupported' || type === 'unknown') {
    const detail = unsupportedSchema.safeParse(item.unsupported)
    return { type: 'unsupported', unsupportedType: detail.success ? (detail.data?.type ?? null) : null, errors }
  }
  if (!Object.hasOwn(contentSchemas, type)) return { type: 'other', reason: `unrecognised message type "${type}"`, raw: item }
  const schema = contentSchemas[type as keyof typeof contentSchemas]
  const parsed = schema.safeParse(Object.hasOwn(item, type) ? item[type] : undefined)
  return parsed.success ? parsed.data : { type: 'other', reason: `unreadable ${type}: ${summarise(parsed.error)}`, raw: item }
}

export function textOf(content: MessageContent): string | null {
  switch (content.type) {
    case 'text':
      return content.body || null
    case 'image':
    case 'video':
    case 'document':
      return content.caption || null
    case 'interactive':
      return content.title || null
    case 'button':
      return content.text || content.payload || null
    case 'order':
      return content.text || null
    case 'system':
      return content.body || null
    default:
      return null
  }
}
