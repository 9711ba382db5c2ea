// The shapes of a contact's editable data, shared by the API, the CSV import and the forms.
import { z } from 'zod'

export const MAX_TAGS = 50
export const MAX_CUSTOM_FIELDS = 50
export const CUSTOM_FIELD_KEY = /^[a-z0-9_]{1,40}$/

// Commas separate tags in CSV cells and query strings, so a tag never contains one.
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(50, 'A tag is at most 50 characters')
  .refine((t) => !t.includes(','), 'A tag cannot contain a comma')
export const tagsSchema = z.array(tagSchema).max(MAX_TAGS, `At most ${MAX_TAGS} tags`).transform((tags) => [...new Set(tags)])

// Keys are checked one by one so the message names the offending field.
export const customFieldsSchema = z
  .record(z.string(), z.string().max(500, 'A custom field value is at most 500 characters'))
  .superRefine((fields, ctx) => {
    for (const key of Object.keys(fields))
      if (!CUSTOM_FIELD_KEY.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key.slice(0, 40)}" is not a valid custom field name (1–40 characters of a–z, 0–9 and _)` })
    if (Object.keys(fields).length > MAX_CUSTOM_FIELDS) ctx.addIssue({ code: 'custom', message: `At most ${MAX_CUSTOM_FIELDS} custom fields` })
  })

export const nameSchema = z.string().trim().max(200, 'A name is at most 200 characters')
export const emailSchema = z.string().trim().max(254, 'An email address is at most 254 characters').pipe(z.email('Not a valid email address'))

export const createContactInput = z.object({
  phone: z.string().max(40),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'A two-letter country code').optional(),
  name: nameSchema.optional(),
  email: emailSchema.optional(),
  tags: tagsSchema.default([]),
  customFields: customFieldsSchema.default({}),
})

export const updateContactInput = z
  .object({
    name: nameSchema.nullable(),
    email: z.union([emailSchema, z.literal('').transform(() => null), z.null()]),
    tags: tagsSchema,
    customFields: customFieldsSchema,
    blocked: z.boolean(),
    optedOut: z.boolean(),
    optOutReason: z.string().trim().max(500, 'A reason is at most 500 characters'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change')
  .refine((v) => v.optOutReason === undefined || v.optedOut === true, { message: 'A reason goes with opting out', path: ['optOutReason'] })
