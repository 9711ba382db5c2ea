// Turns what a person typed in the inbox search box into the two things the SQL matches: a prefix
// full-text query over names and message text, and the digits of a phone number.

export interface SearchTerms {
  /** to_tsquery('simple', …) input: every word as a quoted prefix, all required; null when no word. */
  tsquery: string | null
  /** The typed phone digits (+, spaces, dashes and brackets ignored); null unless it looks like a number. */
  phoneDigits: string | null
}

// Letters and digits of any script; everything else separates words, as the text-search parser does.
const WORD = /[\p{L}\p{N}]+/gu
const PHONE = /^[\d\s+\-().]+$/
const MAX_WORDS = 8

export function searchTerms(q: string): SearchTerms {
  const words = (q.toLowerCase().match(WORD) ?? []).slice(0, MAX_WORDS)
  // Words hold only letters and digits, so quoting them cannot break out of the query syntax.
  const tsquery = words.length ? words.map((w) => `'${w}':*`).join(' & ') : null
  const digits = PHONE.test(q) ? q.replace(/\D/g, '') : ''
  return { tsquery, phoneDigits: digits.length >= 3 ? digits : null }
}
