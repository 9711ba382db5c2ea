// The one-line preview of a stored message row, whichever shape its content has: inbound content as
// parse-webhook normalises it ({ text, caption, … }) or an outbound Meta send object ({ type, [type]: … }).
import { messagePreview } from '@/core/whatsapp/message-preview'

const isBag = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function storedMessagePreview(type: string, content: unknown): string {
  const bag = isBag(content) ? content : {}
  const inner = isBag(bag[type]) ? bag[type] : bag
  return messagePreview(type, typeof bag.text === 'string' ? bag.text : null, inner)
}
