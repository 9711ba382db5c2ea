// Decides whether a customer's whole message is one of the tenant's opt-out (or re-subscribe) keywords.
// Forgiving about how people type ("Parar!", " SAÍR ", "stop 🙏"), strict about meaning: never a substring.

const EDGES = /^[\p{P}\p{S}\p{Z}\p{C}\s]+|[\p{P}\p{S}\p{Z}\p{C}\s]+$/gu

/**
 * Case- and accent-insensitive form of a keyword or message: compatibility-decomposed (so full-width
 * letters and ligatures read as plain ones), combining marks dropped, punctuation, emoji and spaces
 * trimmed from both ends, inner whitespace collapsed.
 */
export function normalizeKeyword(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(EDGES, '').replace(/\s+/g, ' ')
}

/** The message as compared with keywords, or null when it cannot be one (empty, or far longer than any keyword). */
export function keywordForm(text: string): string | null {
  if (text.length > 200) return null
  return normalizeKeyword(text) || null
}

/** The configured keyword the whole message is, or null. */
export function matchKeyword(text: string, keywords: readonly string[]): string | null {
  const message = keywordForm(text)
  if (!message) return null
  return keywords.find((k) => normalizeKeyword(k) === message) ?? null
}
