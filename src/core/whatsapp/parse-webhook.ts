// Turns one Meta webhook POST body into flat typed events (messages, statuses, account-level updates).
// Never throws: each entry, change and item is parsed on its own, and what cannot be read becomes an `unknown` event.
import { z } from 'zod'

export interface MetaError {
  code: number | null
  title: string | null
  message: string | null
  /** `error_data.details`, the part Meta says to branch on together with `code`. */
  details: string | null
  href: string | null
}

interface MediaFields {
  mediaId: string
  mimeType: string | null
  sha256: string | null
  /** Newer webhooks may carry a short-lived lookaside URL; download through the media id regardless. */
  url: string | null
}
export type ImageContent = MediaFields & { type: 'image'; caption: string | null }
export type VideoContent = MediaFields & { type: 'video'; caption: string | null }
export type AudioContent = MediaFields & { type: 'audio'; voice: boolean }
export type DocumentContent = MediaFields & { type: 'document'; caption: string | null; filename: string | null }
export type StickerContent = MediaFields & { type: 'sticker'; animated: boolean }

export interface SharedContact {
  formattedName: string | null
  firstName: string | null
  lastName: string | null
  phones: { phone: string | null; waId: string | null; type: string | null }[]
  emails: { email: string | null; type: string | null }[]
  company: string | null
  urls: string[]
  birthday: string | null
}

export interface OrderItem {
  productRetailerId: string | null
  quantity: number | null
  itemPrice: number | null
  currency: string | null
}

export interface Referral {
  sourceUrl: string | null
  sourceId: string | null
  sourceType: string | null
  headline: string | null
  body: string | null
  mediaType: string | null
  imageUrl: string | null
  videoUrl: string | null
  thumbnailUrl: string | null
  /** Click-to-WhatsApp click id, the key for ad attribution. */
  ctwaClid: string | null
}

export type MessageContent =
  | { type: 'text'; body: string }
  | ImageContent
  | VideoContent
  | AudioContent
  | DocumentContent
  | StickerContent
  | { type: 'location'; latitude: number; longitude: number; name: string | null; address: string | null; url: string | null }
  | { type: 'contacts'; contacts: SharedContact[] }
  | {
      type: 'interactive'
      kind: 'button_reply' | 'list_reply' | 'nfm_reply'
      id: string | null
      title: string | null
      description: string | null
      /** nfm_reply (Flows): the raw `response_json` string and its parsed object (null when not a JSON object). */
      responseJson: string | null
      response: Record<string, unknown> | null
    }
  | { type: 'button'; payload: string | null; text: string | null }
  | { type: 'reaction'; messageId: string; emoji: string | null; removed: boolean }
  | { type: 'order'; catalogId: string | null; text: string | null; items: OrderItem[] }
  | { type: 'system'; body: string | null; systemType: string | null; newWaId: string | null; newUserId: string | null }
  | { type: 'unsupported'; unsupportedType: string | null; errors: MetaError[] }
  /** A type this parser does not know (edit, revoke, future types) or whose object did not parse; `raw` is the message item. */
  | { type: 'other'; reason: string; raw: unknown }

export type MessageContentType = MessageContent['type']

interface Routing {
  wabaId: string
  phoneNumberId: string
}

export interface InboundMessageEvent extends Routing {
  kind: 'message'
  displayPhoneNumber: string | null
  /** Sender's wa_id (phone digits); null for username-only senders and some system messages. */
  from: string | null
  /** Business-scoped user id (BSUID) from `from_user_id` or the matched contact. */
  userId: string | null
  parentUserId: string | null
  profileName: string | null
  wamid: string
  timestamp: Date
  /** Meta's type string as sent (`text`, `image`, … or anything newer). */
  type: string
  /** Text body, caption, button text, interactive reply title, order note or system body; null otherwise. */
  text: string | null
  content: MessageContent
  contextWamid: string | null
  contextFrom: string | null
  forwarded: boolean
  frequentlyForwarded: boolean
  referredProduct: { catalogId: string | null; productRetailerId: string | null } | null
  referral: Referral | null
  errors: MetaError[]
}

/** Same type under the shorter name other modules use. */
export type MessageEvent = InboundMessageEvent

export type KnownStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted'

export interface StatusEvent extends Routing {
  kind: 'status'
  wamid: string
  /** Unknown strings are kept as sent; `statusRank` ranks them below everything. */
  status: KnownStatus | (string & {})
  recipientId: string | null
  recipientUserId: string | null
  timestamp: Date
  errors: MetaError[]
  pricing: { billable: boolean | null; category: string | null; model: string | null; type: string | null } | null
  conversation: { id: string | null; origin: string | null; expiresAt: Date | null } | null
  bizOpaqueCallbackData: string | null
}

export interface TemplateStatusEvent {
  kind: 'template_status'
  wabaId: string
  time: Date | null
  templateId: string
  name: string | null
  language: string | null
  event: string
  reason: string | null
  category: string | null
}

export interface TemplateQualityEvent {
  kind: 'template_quality'
  wabaId: string
  time: Date | null
  templateId: string
  name: string | null
  language: string | null
  previousScore: string | null
  newScore: string
}

export interface PhoneNumberQualityEvent {
  kind: 'phone_number_quality'
  wabaId: string
  time: Date | null
  displayPhoneNumber: string | null
  event: string
  /** `current_limit` (being retired by Meta) or else `max_daily_conversations_per_business`, e.g. TIER_10K. */
  currentLimit: string | null
  oldLimit: string | null
}

export interface AccountUpdateEvent {
  kind: 'account_update'
  wabaId: string
  time: Date | null
  event: string
  phoneNumber: string | null
  /** The whole `value` (ban_info, violation_info, restriction_info, waba_info… vary by event). */
  details: Record<string, unknown>
}

export interface ValueErrorEvent extends Routing {
  kind: 'value_error'
  displayPhoneNumber: string | null
  error: MetaError
}

export interface UnknownEvent {
  kind: 'unknown'
  wabaId: string | null
  phoneNumberId: string | null
  field: string | null
  reason: string
  raw: unknown
}

export type WebhookEvent =
  | InboundMessageEvent
  | StatusEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | PhoneNumberQualityEvent
  | AccountUpdateEvent
  | ValueErrorEvent
  | UnknownEvent

export const WEBHOOK_EVENT_KINDS = [
  'message',
  'status',
  'template_status',
  'template_quality',
  'phone_number_quality',
  'account_update',
  'value_error',
  'unknown',
] as const satisfies readonly WebhookEvent['kind'][]

// Status order. Meta does not guarantee delivery order (read may precede delivered, delivered is skipped when
// read at once) and can report failed after sent. Applying a status only when it ranks higher makes the stored
// state the maximum of what arrived, whatever the order: a late delivered never downgrades read, sent never
// revives failed, and failed never overrides delivered/read (the device already has the message), while a
// delivered/read arriving after failed is proof of delivery and wins. played (voice) ranks as read. deleted
// (legacy) is terminal. Unknown strings rank -1: keep them in the log, never change state with them.
export const STATUS_RANK = {
  pending: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
  played: 4,
  deleted: 5,
} as const satisfies Record<KnownStatus | 'pending', number>

export function statusRank(status: string | null | undefined): number {
  if (typeof status !== 'string' || !Object.hasOwn(STATUS_RANK, status)) return -1
  return STATUS_RANK[status as keyof typeof STATUS_RANK]
}

/** Whether `incoming` should replace the stored `current` status (null = nothing stored yet). */
export function isStatusUpgrade(current: string | null | undefined, incoming: string): boolean {
  const next = statusRank(incoming)
  return next >= 0 && next > statusRank(current)
}

// ---------- lenient field readers: optional and display fields degrade to null instead of failing the item ----------

const maybe = z.unknown().optional()

function toId(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v)
  return null
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v)
  return null
}

function toDate(v: unknown): Date | null {
  const seconds = typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : v
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0 || seconds > 1e12) return null
  return new Date(seconds * 1000)
}

const text = maybe.transform((v) => (typeof v === 'string' ? v : null))
const nonEmpty = maybe.transform((v) => (typeof v === 'string' && v.length > 0 ? v : null))
const idLike = maybe.transform(toId)
const flag = maybe.transform((v) => v === true)
const boolOrNull = maybe.transform((v) => (typeof v === 'boolean' ? v : null))
const num = maybe.transform(toNumber)
const timeOrNull = maybe.transform(toDate)

function optional<T extends z.ZodType>(schema: T) {
  return maybe.transform((v): z.output<T> | null => {
    const r = schema.safeParse(v)
    return r.success ? r.data : null
  })
}

function listOf<T extends z.ZodType>(schema: T) {
  return maybe.transform((v): z.output<T>[] =>
    Array.isArray(v)
      ? v.flatMap((item) => {
          const r = schema.safeParse(item)
          return r.success ? [r.data] : []
        })
      : [],
  )
}

// ---------- strict fields: the identity of an item; without them it is an `unknown` event ----------

const requiredId = z.union([z.string().min(1), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).transform(String)
const unixTime = z
  .union([z.string().regex(/^\d{1,12}$/), z.number().int().min(0).max(1e12)])
  .transform((v) => new Date(Number(v) * 1000))
const plainObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v))

// Older (On-Premises era) payloads put `details` at the top level instead of under error_data.
const metaErrorSchema = z
  .object({ code: num, title: text, message: text, error_data: optional(z.object({ details: text })), details: text, href: text })
  .transform(
    (e): MetaError => ({
      code: e.code,
      title: e.title,
      message: e.message,
      details: e.error_data?.details ?? e.details,
      href: e.href,
    }),
  )
const errorList = listOf(metaErrorSchema)

// ---------- messages ----------

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

const contactProfileSchema = z.object({
  wa_id: idLike,
  user_id: nonEmpty,
  parent_user_id: nonEmpty,
  profile: optional(z.object({ name: nonEmpty })),
})
type ContactProfile = z.output<typeof contactProfileSchema>

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

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}

const unsupportedSchema = optional(z.object({ type: nonEmpty }))

function readContent(type: string, item: Record<string, unknown>, errors: MetaError[]): MessageContent {
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

function textOf(content: MessageContent): string | null {
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

function findSender(contacts: ContactProfile[], from: string | null, userId: string | null): ContactProfile | null {
  return contacts.find((c) => (from !== null && c.wa_id === from) || (userId !== null && c.user_id === userId)) ?? null
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
      const r = messageEnvelope.safeParse(raw)
      if (!r.success) return pushUnknown(inner, `invalid message: ${summarise(r.error)}`, raw)
      const m = r.data
      const content = readContent(m.type, raw as Record<string, unknown>, m.errors)
      const sender = findSender(contacts, m.from, m.from_user_id)
      scope.out.push({
        kind: 'message',
        ...routing,
        displayPhoneNumber,
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
      })
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
