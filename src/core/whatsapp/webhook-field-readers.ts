// Zod readers for the fields of Meta webhook items, shared by the message, status and account-field parsers.
import { z } from 'zod'
import type { MetaError } from './webhook-events'

// ---------- lenient field readers: optional and display fields degrade to null instead of failing the item ----------

export const maybe = z.unknown().optional()

export function toId(v: unknown): string | null {
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

export const text = maybe.transform((v) => (typeof v === 'string' ? v : null))
export const nonEmpty = maybe.transform((v) => (typeof v === 'string' && v.length > 0 ? v : null))
export const idLike = maybe.transform(toId)
export const flag = maybe.transform((v) => v === true)
export const boolOrNull = maybe.transform((v) => (typeof v === 'boolean' ? v : null))
export const num = maybe.transform(toNumber)
export const timeOrNull = maybe.transform(toDate)

export function optional<T extends z.ZodType>(schema: T) {
  return maybe.transform((v): z.output<T> | null => {
    const r = schema.safeParse(v)
    return r.success ? r.data : null
  })
}

export function listOf<T extends z.ZodType>(schema: T) {
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

export const requiredId = z.union([z.string().min(1), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).transform(String)
export const unixTime = z
  .union([z.string().regex(/^\d{1,12}$/), z.number().int().min(0).max(1e12)])
  .transform((v) => new Date(Number(v) * 1000))
export const plainObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v))

// Older (On-Premises era) payloads put `details` at the top level instead of under error_data.
export const metaErrorSchema = z
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
export const errorList = listOf(metaErrorSchema)

export function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}
