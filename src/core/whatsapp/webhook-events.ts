// The typed events parseWebhook produces from one Meta webhook POST body, and the message content they carry.

export interface MetaError {
  code: number | null
  title: string | null
  message: string | null
  /** `error_data.details`, the part Meta says to branch on together with `code`. */
  details: string | null
  href: string | null
}

export interface MediaFields {
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
