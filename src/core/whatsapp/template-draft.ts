// A new message template as submitted to Meta for review (POST /{waba-id}/message_templates).
import { z } from 'zod'

const placeholderCount = (text: string) => new Set(text.match(/\{\{\s*[\w]+\s*\}\}/g) ?? []).size

const button = z.discriminatedUnion('type', [
  z.object({ type: z.literal('QUICK_REPLY'), text: z.string().min(1).max(25) }),
  z.object({ type: z.literal('URL'), text: z.string().min(1).max(25), url: z.string().url().max(2000), example: z.array(z.string()).optional() }),
  z.object({ type: z.literal('PHONE_NUMBER'), text: z.string().min(1).max(25), phone_number: z.string().regex(/^\+?[0-9]{5,20}$/) }),
  z.object({ type: z.literal('COPY_CODE'), example: z.string().min(1).max(15) }),
])

const component = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('HEADER'),
    format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']),
    text: z.string().min(1).max(60).optional(),
    example: z.record(z.string(), z.unknown()).optional(),
  }),
  z
    .object({
      type: z.literal('BODY'),
      text: z.string().min(1).max(1024),
      example: z.object({ body_text: z.array(z.array(z.string())) }).optional(),
    })
    // Meta rejects a body with variables but no example values to review them with.
    .refine((b) => placeholderCount(b.text) === 0 || (b.example?.body_text[0]?.length ?? 0) === placeholderCount(b.text), {
      path: ['example', 'body_text'],
      message: 'give one example value for every {{variable}} in the body',
    }),
  z.object({ type: z.literal('FOOTER'), text: z.string().min(1).max(60) }),
  z.object({ type: z.literal('BUTTONS'), buttons: z.array(button).min(1).max(10) }),
])

export const templateDraftSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'use lowercase letters, digits and underscores'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as en_US'),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
    components: z.array(component).min(1),
  })
  .refine((t) => t.components.filter((c) => c.type === 'BODY').length === 1, { path: ['components'], message: 'needs exactly one BODY' })

export type TemplateDraft = z.infer<typeof templateDraftSchema>
