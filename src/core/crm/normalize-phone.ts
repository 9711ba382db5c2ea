// Turns what people type or paste as a phone number into E.164, the form WhatsApp ids are stored in
// (digits only in contacts.wa_id). Numbers without "+" need a default country.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

export type PhoneResult = { ok: true; e164: string; waId: string } | { ok: false; reason: string }

export function normalizePhone(input: string, defaultCountry?: string): PhoneResult {
  // A leading apostrophe is how exported CSVs (ours included) keep "+…" from being read as a formula.
  const raw = input.trim().replace(/^'/, '')
  if (raw === '') return { ok: false, reason: 'Phone number is missing' }
  // "00" is the international call prefix in most of the world: treat it as "+".
  const text = raw.startsWith('00') ? `+${raw.slice(2)}` : raw
  if (!text.startsWith('+') && !defaultCountry) return { ok: false, reason: 'Phone number needs a country code (+…) or a default country' }
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined)
  if (!parsed || !parsed.isValid()) return { ok: false, reason: `"${raw.slice(0, 40)}" is not a valid phone number` }
  return { ok: true, e164: parsed.number, waId: parsed.number.slice(1) }
}

/** A WhatsApp id as shown to people and in exports. */
export const waIdToE164 = (waId: string | null) => (waId ? `+${waId}` : '')
