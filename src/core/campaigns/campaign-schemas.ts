// What a tenant may say about a campaign, validated at every boundary: the audience, the value of each
// template variable per contact, the schedule and the governor's thresholds.
import { z } from 'zod'

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

export const RECIPIENT_STATUSES = ['pending', 'queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped'] as const
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number]

/** Contact attributes a variable can take its value from. `first_name` is the first word of the display name. */
export const CONTACT_FIELDS = ['name', 'first_name', 'wa_id', 'email', 'profile_name'] as const
export type ContactField = (typeof CONTACT_FIELDS)[number]

const fallback = z.string().trim().max(1024).optional()
export const variableSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contact'), field: z.enum(CONTACT_FIELDS), fallback }),
  z.object({ kind: z.literal('custom'), key: z.string().trim().min(1).max(64), fallback }),
  z.object({ kind: z.literal('constant'), value: z.string().trim().min(1).max(1024) }),
])
export type VariableSource = z.infer<typeof variableSourceSchema>

/**
 * One source per template input, keyed as the template picker keys its fields: `header.media`,
 * `header.<placeholder>`, `body.<placeholder>`, `button.<index>`. A media header takes a constant: an
 * https link, or the id of media uploaded to Meta.
 */
export const variableMappingSchema = z.record(
  z.string().regex(/^(header\.media|(header|body)\.[A-Za-z0-9_]{1,64}|button\.[0-9]{1,2})$/, 'must be header.media, header.<name>, body.<name> or button.<index>'),
  variableSourceSchema,
)
export type VariableMapping = z.infer<typeof variableMappingSchema>

const tag = z.string().trim().min(1).max(64)
export const FIELD_OPERATORS = ['equals', 'not_equals', 'contains', 'present', 'absent'] as const
export const fieldFilterSchema = z
  .object({ key: z.string().trim().min(1).max(64), op: z.enum(FIELD_OPERATORS), value: z.string().max(200).optional() })
  .refine((f) => f.op === 'present' || f.op === 'absent' || (f.value ?? '') !== '', { message: 'needs a value', path: ['value'] })
export type FieldFilter = z.infer<typeof fieldFilterSchema>

/**
 * Who receives the campaign. `filter`: contacts with any of `includeTags` (every contact when empty), none of
 * `excludeTags`, matching every custom-field filter. `list`: the contacts attached to the campaign (a CSV
 * upload or a hand-picked selection), narrowed by the same tag and field rules.
 */
export const audienceSchema = z.object({
  source: z.enum(['filter', 'list']).default('filter'),
  includeTags: z.array(tag).max(50).default([]),
  excludeTags: z.array(tag).max(50).default([]),
  fields: z.array(fieldFilterSchema).max(10).default([]),
})
export type Audience = z.infer<typeof audienceSchema>

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM')
/** No sends between `start` and `end` in the recipient's local time (may wrap midnight, e.g. 21:00–08:00). */
export const quietHoursSchema = z.object({ start: clock, end: clock }).refine((q) => q.start !== q.end, { message: 'start and end must differ' })
export type QuietHours = z.infer<typeof quietHoursSchema>

export const campaignDraftSchema = z.object({
  name: z.string().trim().min(1).max(200),
  numberId: z.uuid().nullable().optional(),
  templateId: z.uuid().nullable().optional(),
  variables: variableMappingSchema.optional(),
  audience: audienceSchema.optional(),
  quietHours: quietHoursSchema.nullable().optional(),
  /** A reply within this many hours of the send is credited to the campaign. */
  replyWindowHours: z.number().int().min(1).max(720).optional(),
  /** Pause when the delivered share of settled sends falls below this (null: never). */
  minDeliveryRate: z.number().min(0).max(1).nullable().optional(),
})
export type CampaignDraft = z.infer<typeof campaignDraftSchema>
export const campaignPatchSchema = campaignDraftSchema.partial()

export const launchSchema = z.object({
  /** Absent: start now. An instant (ISO 8601 with offset); the UI converts from the tenant's time zone. */
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
})

export const CAMPAIGN_ACTIONS = ['pause', 'resume', 'cancel', 'retry_failed'] as const
export const campaignActionSchema = z.object({ action: z.enum(CAMPAIGN_ACTIONS) })
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number]

/** Attaches contacts to a `list` audience: ids (hand-picked) or phone numbers (a CSV column), up to 100,000. */
export const audienceListSchema = z
  .object({
    contactIds: z.array(z.uuid()).max(100_000).optional(),
    phones: z.array(z.string().max(40)).max(100_000).optional(),
    /** Replace the current list instead of adding to it. */
    replace: z.boolean().default(false),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .refine((b) => (b.contactIds?.length ?? 0) + (b.phones?.length ?? 0) > 0 || b.replace, { message: 'give contactIds or phones' })

export const RETARGET_SEGMENTS = ['sent_not_delivered', 'delivered_not_read', 'read_not_replied', 'replied', 'failed'] as const
export type RetargetSegment = (typeof RETARGET_SEGMENTS)[number]
export const retargetSchema = z.object({ segment: z.enum(RETARGET_SEGMENTS), name: z.string().trim().min(1).max(200).optional() })

export const recipientsQuerySchema = z.object({
  status: z.enum([...RECIPIENT_STATUSES, 'all']).default('all'),
  errorCode: z.coerce.number().int().optional(),
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
