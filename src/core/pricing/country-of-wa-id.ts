// The recipient country of a WhatsApp id (E.164 digits without "+"), which decides a template's price.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * ISO 3166 alpha-2 code, or null when the digits are no phone number. A number no country's plan claims
 * (a new range, a test number) is put in the calling code's main country: Meta prices by calling code too.
 */
export function countryOfWaId(waId: string): string | null {
  if (!/^[0-9]{5,20}$/.test(waId)) return null
  const parsed = parsePhoneNumberFromString(`+${waId}`)
  if (!parsed) return null
  return parsed.country ?? parsed.getPossibleCountries()[0] ?? null
}
