// Zod schemas for every body we POST to Meta's /{phone-number-id}/messages, with Meta's limits, so a bad message fails
// here with the field named instead of coming back as Graph error 100 after it was queued.
import { z } from 'zod'

// Objects are strict because Meta rejects keys it does not know (error 100), and a typo should fail here, not at Meta.
const requiredString = () => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
const filled = () => requiredString().min(1, 'must not be empty')
const text = (max: number) => filled().max(max, `must be at most ${max} characters`)
const optionalText = z.string().optional()
const httpsUrl = () =>
  z.url({ protocol: /^https$/, error: (issue) => (issue.input === undefined ? 'is required' : 'must be an https URL') })
const notAllowedOn = (where: string) => z.undefined({ error: `is not allowed on ${where}` }).optional()

// Meta takes a media object either by an uploaded media id or by a public https link, never both and never neither.
function exactlyOneSource(media: { id?: string; link?: string }, ctx: z.RefinementCtx) {
  if (media.id !== undefined && media.link !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['link'], message: 'must not be set together with id; give one of them' })
  } else if (media.id === undefined && media.link === undefined) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'is required unless link is given' })
  }
}
const source = { id: filled().optional(), link: httpsUrl().optional() }
const caption = text(1024).optional()
const filename = filled().optional()
const imageMedia = z.strictObject({ ...source, caption }).superRefine(exactlyOneSource)
const videoMedia = z.strictObject({ ...source, caption }).superRefine(exactlyOneSource)
const documentMedia = z.strictObject({ ...source, caption, filename }).superRefine(exactlyOneSource)
const audioMedia = z
  .strictObject({ ...source, caption: notAllowedOn('audio'), filename: notAllowedOn('audio') })
  .superRefine(exactlyOneSource)
const stickerMedia = z
  .strictObject({ ...source, caption: notAllowedOn('stickers'), filename: notAllowedOn('stickers') })
  .superRefine(exactlyOneSource)
// Media inside headers and template parameters: the header text or body carries the words, so no caption.
const headerMedia = z.strictObject(source).superRefine(exactlyOneSource)
const headerDocument = z.strictObject({ ...source, filename }).superRefine(exactlyOneSource)

const location = z.strictObject({
  latitude: z.number({ error: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  longitude: z
    .number({ error: 'must be a number' })
    .min(-180, 'must be between -180 and 180')
    .max(180, 'must be between -180 and 180'),
  name: optionalText,
  address: optionalText,
})

// Meta needs formatted_name plus at least one other name part (its contacts reference; BSP mirrors say the same).
const contactName = z
  .strictObject({
    formatted_name: filled(),
    first_name: optionalText,
    last_name: optionalText,
    middle_name: optionalText,
    suffix: optionalText,
    prefix: optionalText,
  })
  .refine((n) => n.first_name || n.last_name || n.middle_name || n.suffix || n.prefix, {
    path: ['first_name'],
    message: 'is required, or another name part (last_name, middle_name, suffix, prefix)',
  })

const contactCard = z.strictObject({
  name: contactName,
  phones: z.array(z.strictObject({ phone: optionalText, type: optionalText, wa_id: optionalText })).optional(),
  emails: z
    .array(z.strictObject({ email: z.email({ error: 'must be an email address' }).optional(), type: optionalText }))
    .optional(),
  urls: z
    .array(
      z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(), type: optionalText }),
    )
    .optional(),
  addresses: z
    .array(
      z.strictObject({
        street: optionalText,
        city: optionalText,
        state: optionalText,
        zip: optionalText,
        country: optionalText,
        country_code: optionalText,
        type: optionalText,
      }),
    )
    .optional(),
  org: z.strictObject({ company: optionalText, department: optionalText, title: optionalText }).optional(),
  birthday: z.iso.date({ error: 'must be a date like 1990-12-31' }).optional(),
})

// Reports every repeated value at the path of its second and later occurrences.
function flagDuplicates(ctx: z.RefinementCtx, entries: { value: string; path: (string | number)[] }[], what: string) {
  const seen = new Set<string>()
  for (const { value, path } of entries) {
    if (seen.has(value))
      ctx.addIssue({ code: 'custom', path, message: `must be unique; another ${what} already uses "${value}"` })
    seen.add(value)
  }
}

const interactiveBody = z.strictObject({ text: text(1024) })
const interactiveFooter = z.strictObject({ text: text(60) })
const textHeader = z.strictObject({ type: z.literal('text'), text: text(60) })
// List messages only take a text header; a union of one so a media header fails once, at header.type.
const listHeader = z.discriminatedUnion('type', [textHeader])
const anyHeader = z.discriminatedUnion('type', [
  textHeader,
  z.strictObject({ type: z.literal('image'), image: headerMedia }),
  z.strictObject({ type: z.literal('video'), video: headerMedia }),
  z.strictObject({ type: z.literal('document'), document: headerDocument }),
])

const replyButton = z.strictObject({ type: z.literal('reply'), reply: z.strictObject({ id: text(256), title: text(20) }) })
const buttonAction = z
  .strictObject({ buttons: z.array(replyButton).min(1, 'must have at least 1 button').max(3, 'must have at most 3 buttons') })
  .superRefine((action, ctx) => {
    flagDuplicates(
      ctx,
      action.buttons.map((b, i) => ({ value: b.reply.id, path: ['buttons', i, 'reply', 'id'] })),
      'button id',
    )
    flagDuplicates(
      ctx,
      action.buttons.map((b, i) => ({ value: b.reply.title, path: ['buttons', i, 'reply', 'title'] })),
      'button title',
    )
  })

const listRow = z.strictObject({ id: text(200), title: text(24), description: text(72).optional() })
const listSection = z.strictObject({ title: text(24).optional(), rows: z.array(listRow).min(1, 'must have at least 1 row') })
const listAction = z
  .strictObject({
    button: text(20),
    sections: z.array(listSection).min(1, 'must have at least 1 section').max(10, 'must have at most 10 sections'),
  })
  .superRefine((action, ctx) => {
    const rows = action.sections.flatMap((s, si) =>
      s.rows.map((r, ri) => ({ value: r.id, path: ['sections', si, 'rows', ri, 'id'] })),
    )
    // Meta counts the 10-row limit across all sections together, not per section.
    if (rows.length > 10)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `must have at most 10 rows in total, has ${rows.length}` })
    flagDuplicates(ctx, rows, 'row id')
    if (action.sections.length > 1) {
      action.sections.forEach((s, si) => {
        if (s.title === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'title'],
            message: 'is required when there is more than one section',
          })
        }
      })
    }
  })

const ctaUrlAction = z.strictObject({
  name: z.literal('cta_url'),
  parameters: z.strictObject({ display_text: text(20), url: httpsUrl() }),
})

const interactive = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('button'),
    header: anyHeader.optional(),
    body: interactiveBody,
    footer: interactiveFooter.optional(),
    action: buttonAction,
  }),
  z.strictObject({
    type: z.literal('list'),
    header: listHeader.optional(),
    body: interactiveBody,
    footer: interactiveFooter.optional(),
    action: listAction,
  }),
  z.strictObject({
    type: z.literal('cta_url'),
    header: anyHeader.optional(),
    body: interactiveBody,
    footer: interactiveFooter.optional(),
    action: ctaUrlAction,
  }),
])

// parameter_name is set only for templates created with parameter_format NAMED.
const parameterName = z
  .string()
  .regex(/^[a-z0-9_]+$/, 'must use only lowercase letters, digits and underscores')
  .optional()
const textParameter = z.strictObject({ type: z.literal('text'), text: filled(), parameter_name: parameterName })
const currencyParameter = z.strictObject({
  type: z.literal('currency'),
  currency: z.strictObject({
    fallback_value: filled(),
    code: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD'),
    amount_1000: z.number().int('must be a whole number (the amount times 1000)'),
  }),
  parameter_name: parameterName,
})
const dateTimeParameter = z.strictObject({
  type: z.literal('date_time'),
  date_time: z.strictObject({ fallback_value: filled() }),
  parameter_name: parameterName,
})
const headerParameter = z.discriminatedUnion('type', [
  textParameter,
  z.strictObject({ type: z.literal('image'), image: headerMedia }),
  z.strictObject({ type: z.literal('video'), video: headerMedia }),
  z.strictObject({ type: z.literal('document'), document: headerDocument }),
  z.strictObject({ type: z.literal('location'), location }),
])
const bodyParameter = z.discriminatedUnion('type', [textParameter, currencyParameter, dateTimeParameter])

// A template button is addressed by its position (0-9) in the template's BUTTONS component.
const BUTTON_POSITION = 'must be the button position, 0 to 9'
const buttonIndex = z.union(
  [z.string().regex(/^[0-9]$/, BUTTON_POSITION), z.number().int(BUTTON_POSITION).min(0, BUTTON_POSITION).max(9, BUTTON_POSITION)],
  { error: BUTTON_POSITION },
)
const oneParameter = <S extends z.ZodType>(parameter: S) => z.array(parameter).length(1, 'must have exactly 1 parameter')
const templateComponent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), parameters: z.array(headerParameter).max(1, 'must have at most 1 parameter') }),
  z.strictObject({ type: z.literal('body'), parameters: z.array(bodyParameter) }),
  z.discriminatedUnion('sub_type', [
    z.strictObject({
      type: z.literal('button'),
      sub_type: z.literal('quick_reply'),
      index: buttonIndex,
      parameters: oneParameter(z.strictObject({ type: z.literal('payload'), payload: filled() })),
    }),
    z.strictObject({
      type: z.literal('button'),
      sub_type: z.literal('url'),
      index: buttonIndex,
      parameters: oneParameter(z.strictObject({ type: z.literal('text'), text: filled() })),
    }),
    z.strictObject({
      type: z.literal('button'),
      sub_type: z.literal('copy_code'),
      index: buttonIndex,
      parameters: oneParameter(z.strictObject({ type: z.literal('coupon_code'), coupon_code: filled() })),
    }),
  ]),
])

const template = z.strictObject({
  name: requiredString().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name: lowercase letters, digits and underscores'),
  language: z.strictObject({
    code: requiredString().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code like en or en_US'),
    policy: z.literal('deterministic').optional(),
  }),
  components: z.array(templateComponent).optional(),
})

// One grapheme that is an emoji, or '' to take a reaction back.
const isReactionEmoji = (emoji: string) => {
  if (emoji === '') return true
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(emoji)]
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(emoji)
}
const reaction = z.strictObject({
  message_id: filled(),
  emoji: z
    .string({ error: 'is required (use "" to remove the reaction)' })
    .refine(isReactionEmoji, 'must be a single emoji, or ""'),
})

const envelope = {
  messaging_product: z.literal('whatsapp').default('whatsapp'),
  recipient_type: z.literal('individual').default('individual'),
  // E.164 digits (7-15, no leading zero); Meta accepts the leading '+' and ignores it.
  to: requiredString().regex(
    /^\+?[1-9][0-9]{6,14}$/,
    'must be a phone number in international format: digits, optional leading +',
  ),
  context: z.strictObject({ message_id: filled() }).optional(),
  biz_opaque_callback_data: z.string().max(512, 'must be at most 512 characters').optional(),
}

export const outboundMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...envelope,
    type: z.literal('text'),
    text: z.strictObject({ body: text(4096), preview_url: z.boolean().optional() }),
  }),
  z.strictObject({ ...envelope, type: z.literal('image'), image: imageMedia }),
  z.strictObject({ ...envelope, type: z.literal('video'), video: videoMedia }),
  z.strictObject({ ...envelope, type: z.literal('audio'), audio: audioMedia }),
  z.strictObject({ ...envelope, type: z.literal('document'), document: documentMedia }),
  z.strictObject({ ...envelope, type: z.literal('sticker'), sticker: stickerMedia }),
  z.strictObject({ ...envelope, type: z.literal('location'), location }),
  z.strictObject({
    ...envelope,
    type: z.literal('contacts'),
    contacts: z.array(contactCard).min(1, 'must have at least 1 contact').max(257, 'must have at most 257 contacts'),
  }),
  z.strictObject({ ...envelope, type: z.literal('interactive'), interactive }),
  z.strictObject({ ...envelope, type: z.literal('template'), template }),
  z.strictObject({ ...envelope, type: z.literal('reaction'), reaction }),
])
export type OutboundMessage = z.infer<typeof outboundMessageSchema>
export type OutboundMessageInput = z.input<typeof outboundMessageSchema>
export type TemplateMessage = Extract<OutboundMessage, { type: 'template' }>

// Same endpoint, no `to`/`type`: marks an inbound message (and the ones before it) read, optionally showing "typing…".
export const markAsReadSchema = z.strictObject({
  messaging_product: z.literal('whatsapp').default('whatsapp'),
  status: z.literal('read'),
  message_id: filled(),
  typing_indicator: z.strictObject({ type: z.literal('text') }).optional(),
})
export type MarkAsRead = z.infer<typeof markAsReadSchema>

// Outside the 24-hour customer service window Meta only delivers approved templates (else error 131047).
export function requiresServiceWindow(message: { type: OutboundMessage['type'] }): boolean {
  return message.type !== 'template'
}
