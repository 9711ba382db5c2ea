// Checks and normalises CSV rows (already mapped to contact columns by the browser) before anything
// is written: E.164 phone, email format, tags and custom fields within the contact limits, and
// repeats of the same phone inside the batch. Pure, so the rules are the same wherever rows come from.
import { z } from 'zod'
import { customFieldsSchema, emailSchema, nameSchema, tagsSchema } from './contact-schemas'
import { normalizePhone } from './normalize-phone'

// Loose on purpose: a bad cell rejects its row with a reason, it never fails the whole batch.
export const importRowSchema = z.object({
  /** 1-based line in the file (the header is line 1). */
  row: z.number().int().min(1),
  phone: z.string().max(3000).optional(),
  name: z.string().max(3000).optional(),
  email: z.string().max(3000).optional(),
  tags: z.string().max(3000).optional(),
  fields: z.record(z.string().max(200), z.string().max(3000)).optional(),
})
export type ImportRow = z.infer<typeof importRowSchema>

export interface ImportContact {
  row: number
  waId: string
  name: string | null
  email: string | null
  tags: string[]
  customFields: Record<string, string>
}
export interface RejectedRow {
  row: number
  reason: string
}
export type RowResult = { ok: true; contact: ImportContact } | { ok: false; rejected: RejectedRow }

const firstIssue = (error: z.ZodError) => error.issues[0]?.message ?? 'Not valid'
const blankToUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined)

export function validateImportRow(raw: ImportRow, defaultCountry?: string): RowResult {
  const reject = (reason: string): RowResult => ({ ok: false, rejected: { row: raw.row, reason } })
  const phone = normalizePhone(raw.phone ?? '', defaultCountry)
  if (!phone.ok) return reject(phone.reason)

  const name = blankToUndefined(raw.name)
  const nameCheck = name === undefined ? null : nameSchema.safeParse(name)
  if (nameCheck && !nameCheck.success) return reject(firstIssue(nameCheck.error))

  const email = blankToUndefined(raw.email)
  const emailCheck = email === undefined ? null : emailSchema.safeParse(email)
  if (emailCheck && !emailCheck.success) return reject(`${firstIssue(emailCheck.error)}: "${email!.slice(0, 60)}"`)

  // Spreadsheets write lists with commas or semicolons; either separates tags.
  const tags = tagsSchema.safeParse((raw.tags ?? '').split(/[,;]/).map((t) => t.trim()).filter(Boolean))
  if (!tags.success) return reject(firstIssue(tags.error))

  const fields = Object.fromEntries(Object.entries(raw.fields ?? {}).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''))
  const customFields = customFieldsSchema.safeParse(fields)
  if (!customFields.success) return reject(firstIssue(customFields.error))

  return {
    ok: true,
    contact: {
      row: raw.row,
      waId: phone.waId,
      name: nameCheck?.data ?? null,
      email: emailCheck?.data ?? null,
      tags: tags.data,
      customFields: customFields.data,
    },
  }
}

/** Validates a batch in file order; a phone seen earlier in the batch makes the later row a duplicate. */
export function validateImportRows(rows: ImportRow[], defaultCountry?: string) {
  const contacts: ImportContact[] = []
  const rejected: RejectedRow[] = []
  const duplicates: number[] = []
  const seen = new Set<string>()
  for (const raw of [...rows].sort((a, b) => a.row - b.row)) {
    const result = validateImportRow(raw, defaultCountry)
    if (!result.ok) rejected.push(result.rejected)
    else if (seen.has(result.contact.waId)) duplicates.push(result.contact.row)
    else {
      seen.add(result.contact.waId)
      contacts.push(result.contact)
    }
  }
  return { contacts, rejected, duplicates }
}
