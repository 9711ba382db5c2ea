// Turns one item of a messages change's `value.messages` into an inbound message event.
import { z } from 'zod'
import { readContent, textOf } from './parse-message-content'
import type { InboundMessageEvent, Referral } from './webhook-events'
import { errorList, flag, idLike, nonEmpty, optional, summarise, text, unixTime } from './webhook-field-readers'

const referralSchema = z
  .object({
    source_url: text,
    source_id: idLike,
    source_type: text,
    headline: text,
    body: text,
    media_type: text,
    image_url: text,
    video_url: text,
    thumbnail_url: text,
    ctwa_clid: text,
  })
  .transform(
    (r): Referral => ({
      sourceUrl: r.source_url,
      sourceId: r.source_id,
      sourceType: r.source_type,
      headline: r.headline,
      body: r.body,
      mediaType: r.media_type,
      imageUrl: r.image_url,
      videoUrl: r.video_url,
      thumbnailUrl: r.thumbnail_url,
      ctwaClid: r.ctwa_clid,
    }),
  )

const contextSchema = z.object({
  from: idLike,
  id: nonEmpty,
  forwarded: flag,
  frequently_forwarded: flag,
  referred_product: optional(z.object({ catalog_id: idLike, product_retailer_id: idLike })),
})

const messageEnvelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  timestamp: unixTime,
  from: idLike,
  from_user_id: nonEmpty,
  context: optional(contextSchema),
  referral: optional(referralSchema),
  errors: errorList,
})

/** An entry of the change's `value.contacts`: a sender's wa_id, business-scoped user ids and profile name. */
export const contactProfileSchema = z.object({
  wa_id: idLike,
  user_id: nonEmpty,
  parent_user_id: nonEmpty,
  profile: optional(z.object({ name: nonEmpty })),
})
export type ContactProfile = z.output<typeof contactProfileSchema>

function findSender(contacts: ContactProfile[], from: string | null, userId: string | null): ContactProfile | null {
  return contacts.find((c) => (from !== null && c.wa_id === from) || (userId !== null && c.user_id === userId)) ?? null
}

/** Where a message item came from: its change's routing and display number, and the sender profiles listed beside it. */
export interface MessageSource {
  wabaId: string
  phoneNumberId: string
  displayPhoneNumber: string | null
  contacts: ContactProfile[]
}

/** An unreadable envelope rejects the item; unreadable type-specific content only degrades `content` to `other`. */
export function parseInboundMessage(
  raw: unknown,
  source: MessageSource,
): { ok: true; event: InboundMessageEvent } | { ok: false; reason: string } {
  const r = messageEnvelope.safeParse(raw)
  if (!r.success) return { ok: false, reason: `invalid message: ${summarise(r.error)}` }
  const m = r.data
  const content = readContent(m.type, raw as Record<string, unknown>, m.errors)
  const sender = findSender(source.contacts, m.from, m.from_user_id)
  return {
    ok: true,
    event: {
      kind: 'message',
      wabaId: source.wabaId,
      phoneNumberId: source.phoneNumberId,
      displayPhoneNumber: source.displayPhoneNumber,
      from: m.from,
      userId: m.from_user_id ?? sender?.user_id ?? null,
      parentUserId: sender?.parent_user_id ?? null,
      profileName: sender?.profile?.name ?? null,
      wamid: m.id,
      timestamp: m.timestamp,
      type: m.type,
      text: textOf(content),
      content,
      contextWamid: m.context?.id ?? null,
      contextFrom: m.context?.from ?? null,
      forwarded: m.context?.forwarded ?? false,
      frequentlyForwarded: m.context?.frequently_forwarded ?? false,
      referredProduct: m.context?.referred_product
        ? { catalogId: m.context.referred_product.catalog_id, productRetailerId: m.context.referred_product.product_retailer_id }
        : null,
      referral: m.referral,
      errors: m.errors,
    },
  }
}
