// One-line preview of a message for the conversation list, for inbound content (as parse-webhook normalises it)
// and outbound content (Meta's send object). Content is read defensively: it may come back from a jsonb column.
export const PREVIEW_MAX_LENGTH = 120

type Bag = Record<string, unknown>

const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v)

// Control characters and bidi overrides could break or spoof the list row; whitespace runs become one space.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\s]+/g

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const line = value.replace(UNSAFE, ' ').trim()
  return line.length > 0 ? line : null
}

/** First usable string among `keys` of `content` (so camelCase and Meta's snake_case both work). */
function pick(content: unknown, ...keys: string[]): string | null {
  if (!isBag(content)) return null
  for (const key of keys) {
    const value = clean(content[key])
    if (value !== null) return value
  }
  return null
}

const withDetail = (label: string, detail: string | null, separator = ' · ') => (detail ? `${label}${separator}${detail}` : label)

function contactNames(content: unknown): string[] {
  const cards = isBag(content) && Array.isArray(content.contacts) ? content.contacts : Array.isArray(content) ? content : []
  return cards.flatMap((card: unknown) => {
    const name = pick(card, 'formattedName') ?? (isBag(card) ? pick(card.name, 'formatted_name', 'first_name') : null)
    return name ? [name] : []
  })
}

function describe(type: string, text: string | null, content: unknown): string {
  switch (type) {
    case 'text':
      return text ?? pick(content, 'body') ?? 'Message'
    case 'image':
      return withDetail('📷 Photo', text ?? pick(content, 'caption'))
    case 'video':
      return withDetail('🎥 Video', text ?? pick(content, 'caption'))
    case 'audio':
      return isBag(content) && content.voice === true ? '🎤 Voice message' : '🎵 Audio'
    case 'document': {
      const caption = text ?? pick(content, 'caption')
      const filename = pick(content, 'filename')
      return withDetail(`📄 ${filename ?? 'Document'}`, caption === filename ? null : caption)
    }
    case 'sticker':
      return '💟 Sticker'
    case 'location':
      return withDetail('📍 Location', pick(content, 'name') ?? pick(content, 'address'), ': ')
    case 'contacts': {
      const names = contactNames(content)
      if (names.length === 0) return '👤 Contact'
      return `👤 ${names.length === 1 ? 'Contact' : `${names.length} contacts`}: ${names.join(', ')}`
    }
    case 'interactive': {
      // Inbound replies carry a title; a Flow (nfm_reply) submission has none. Outbound ones carry body.text.
      const kind = pick(content, 'kind', 'type')
      if (kind === 'nfm_reply') return '📋 Form submitted'
      return text ?? pick(content, 'title') ?? (isBag(content) ? pick(content.body, 'text') : null) ?? '💬 Interactive message'
    }
    case 'button':
      return text ?? pick(content, 'text', 'payload') ?? '💬 Button reply'
    case 'reaction': {
      const emoji = pick(content, 'emoji')
      return emoji ? `${emoji} reacted` : 'Removed a reaction'
    }
    case 'order': {
      const items = isBag(content) && Array.isArray(content.items ?? content.product_items) ? ((content.items ?? content.product_items) as unknown[]).length : 0
      return withDetail(withDetail('🛒 Order', items > 0 ? `${items} item${items === 1 ? '' : 's'}` : null), text)
    }
    case 'system':
      return text ?? pick(content, 'body') ?? 'ℹ️ System message'
    case 'template':
      return text ?? withDetail('📄 Template', pick(content, 'name'), ': ')
    default:
      // unsupported, Meta's older 'unknown', and types newer than this code.
      return text ?? '⚠️ Unsupported message'
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Cuts at a grapheme boundary so an emoji or accented letter is never split, then adds an ellipsis. */
function clip(line: string, max: number): string {
  if (line.length <= max) return line
  let out = ''
  for (const { segment } of graphemes.segment(line)) {
    if (out.length + segment.length + 1 > max) break
    out += segment
  }
  return `${out.trimEnd()}…`
}

/** A one-line preview, at most 120 UTF-16 code units, never empty and never throwing. */
export function messagePreview(type: string, text: string | null | undefined, content: unknown): string {
  try {
    return clip(describe(typeof type === 'string' ? type : '', clean(text), content), PREVIEW_MAX_LENGTH)
  } catch {
    return '💬 Message'
  }
}
