// How a WhatsApp id (E.164 digits) is shown to people: grouped the way its country writes it in
// international form (+55 11 97777-0001), as Meta shows the business numbers beside it; "+digits" when
// the metadata does not know the number. The small metadata set formats; validation lives elsewhere.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min'

// WhatsApp still gives Mexican mobiles the "1" Mexico dropped from its numbering in 2019 (521 + ten
// digits), which the metadata no longer groups: group the ten digits and keep the 1 as WhatsApp shows it.
const MEXICAN_MOBILE = /^521(\d{10})$/

export function displayPhone(waId: string | null | undefined): string {
  if (!waId) return ''
  const mexican = MEXICAN_MOBILE.exec(waId)
  if (mexican) {
    const grouped = parsePhoneNumberFromString(`+52${mexican[1]}`)?.formatInternational()
    if (grouped) return grouped.replace(/^\+52 /, '+52 1 ')
  }
  return parsePhoneNumberFromString(`+${waId}`)?.formatInternational() ?? `+${waId}`
}
