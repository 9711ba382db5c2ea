// The one contact filter (search, tags, custom field, opted out, blocked) shared by the list, the
// bulk tag action and the CSV export, and the SQL condition it becomes.
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import { z } from 'zod'
import { CUSTOM_FIELD_KEY, tagSchema } from './contact-schemas'
import { likePattern } from '@/core/util/like-pattern'

const yesNo = z.enum(['yes', 'no']).optional()

// Query strings carry tags as one comma-separated value; JSON bodies may send an array.
const tagList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(tagSchema).max(20, 'At most 20 tags in a filter'))

export const contactFilterSchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    tags: tagList.optional(),
    fieldKey: z.string().regex(CUSTOM_FIELD_KEY, 'Custom field names are 1–40 characters of a–z, 0–9 and _').optional(),
    fieldValue: z.string().max(500).optional(),
    optedOut: yesNo,
    blocked: yesNo,
  })
  .refine((f) => f.fieldValue === undefined || f.fieldKey !== undefined, { message: 'A custom field value needs a field name', path: ['fieldKey'] })

export type ContactFilter = z.infer<typeof contactFilterSchema>

/** `where` condition over `public.contacts c` for one tenant. */
export function contactFilterSql(tx: TransactionSql, tenantId: string, f: ContactFilter): PendingQuery<Row[]> {
  const parts: PendingQuery<Row[]>[] = [tx`c.tenant_id = ${tenantId}`]
  if (f.q) {
    const text = likePattern(f.q)
    const digits = f.q.replace(/\D/g, '')
    // Phone search ignores formatting ("+1 (415) 555" finds 1415555…), but only once there are digits to match.
    const phone = digits.length >= 3 ? tx`or c.wa_id like ${likePattern(digits)}` : tx``
    parts.push(tx`(c.name ilike ${text} or c.profile_name ilike ${text} or c.email ilike ${text} ${phone})`)
  }
  if (f.tags?.length) parts.push(tx`c.tags @> ${f.tags}::text[]`)
  if (f.fieldKey !== undefined) {
    parts.push(
      f.fieldValue === undefined
        ? tx`c.custom_fields ? ${f.fieldKey}`
        : tx`c.custom_fields @> ${tx.json({ [f.fieldKey]: f.fieldValue })}::jsonb`,
    )
  }
  if (f.optedOut) parts.push(f.optedOut === 'yes' ? tx`c.opted_out_at is not null` : tx`c.opted_out_at is null`)
  if (f.blocked) parts.push(tx`c.blocked = ${f.blocked === 'yes'}`)
  return parts.reduce((acc, part) => tx`${acc} and ${part}`)
}
