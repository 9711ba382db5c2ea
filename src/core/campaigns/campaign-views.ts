// The shapes the campaign API answers with (the browser sees them through `Jsonified`).
import type { Audience, CampaignStatus, QuietHours, RecipientStatus, VariableMapping } from './campaign-schemas'

export interface CampaignSummary {
  id: string
  name: string
  status: CampaignStatus
  numberId: string | null
  templateId: string | null
  templateName: string | null
  scheduledAt: Date | null
  startedAt: Date | null
  completedAt: Date | null
  pausedReason: string | null
  total: number
  funnel: Funnel
  createdAt: Date
}

export interface CampaignDetail extends CampaignSummary {
  templateLanguage: string | null
  templateCategory: string | null
  variables: VariableMapping
  audience: Audience
  /** Contacts attached for a `list` audience. */
  listSize: number
  quietHours: QuietHours | null
  replyWindowHours: number
  minDeliveryRate: number | null
  retargetOf: string | null
  /** Why sending is held back right now while running (messaging limit, quiet hours), for the page to say. */
  waiting: { reason: 'messaging_limit' | 'quiet_hours'; message: string; count: number } | null
  timezone: string
}

/** Cumulative: `sent` counts everyone who got at least as far as sent (delivered, read and replied included). */
export interface Funnel {
  total: number
  /** Not yet handed to Meta: pending plus queued. */
  waiting: number
  queued: number
  sent: number
  delivered: number
  read: number
  replied: number
  failed: number
  skipped: number
}

export interface FailureGroup {
  code: number | null
  title: string | null
  /** Our explanation of Meta's code, the same words agents see in the inbox. */
  explanation: string | null
  count: number
}

export interface FunnelPoint {
  /** Start of the bucket. */
  at: Date
  sent: number
  delivered: number
  read: number
  replied: number
  failed: number
}

export interface CampaignFunnelView {
  funnel: Funnel
  failures: FailureGroup[]
  skipped: { reason: string; count: number }[]
  /** Cumulative counts per bucket of `bucketSeconds`, from the first send. */
  timeline: FunnelPoint[]
  bucketSeconds: number
}

export interface RecipientRow {
  id: string
  contactId: string
  name: string | null
  waId: string | null
  status: RecipientStatus
  errorCode: number | null
  errorTitle: string | null
  skipReason: string | null
  sentAt: Date | null
  deliveredAt: Date | null
  readAt: Date | null
  repliedAt: Date | null
  failedAt: Date | null
  conversationId: string | null
}

export interface AudienceCount {
  /** Contacts the audience rules select. */
  matched: number
  optedOut: number
  blocked: number
  /** No WhatsApp number, or one that is not a valid phone number. */
  invalid: number
  /** For marketing templates: contacts that stopped marketing messages (Meta's 131050). */
  marketingOptedOut: number
  /** Who will be messaged. */
  eligible: number
}

export interface PreviewMessage {
  contactId: string
  name: string | null
  waId: string | null
  /** The message as the customer will read it. */
  header: string | null
  body: string | null
  footer: string | null
  buttons: string[]
  /** Inputs this contact lacks a value for (no value and no fallback). */
  missing: string[]
}

export interface CampaignEstimate {
  mps: number
  messagingLimit: number | null
  /** Unique customers the portfolio may still reach outside a service window in the current 24 h. */
  remainingToday: number | null
  /** Send time at the number's MPS alone. */
  seconds: number
  /** When the messaging limit stretches the send over several 24 h windows. */
  days: number
  cost: { total: number; currency: string; byCountry: { country: string; count: number; rate: number; cost: number }[] }
}

export interface CampaignReview {
  audience: AudienceCount
  /** Inputs of the template with no source yet. */
  unmapped: string[]
  /** Per input: eligible contacts with neither a value nor a fallback. */
  missingValues: { key: string; count: number }[]
  preview: PreviewMessage[]
  estimate: CampaignEstimate | null
  /** Why it cannot launch yet; empty when it can. */
  problems: string[]
}
