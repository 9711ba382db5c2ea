// Reads a stored message into what the chat draws. Inbound content is our parsed form (body, caption,
// mediaId… at the top level); outbound content is the object we sent Meta (text.body, image.caption…);
// both are read defensively because they come back from a jsonb column.
import { messagePreview } from '@/core/whatsapp/message-preview'
import type { ChatMessage } from './inbox-api'

type Bag = Record<string, unknown>
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null)
const bag = (v: unknown): Bag => (isBag(v) ? v : {})
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

export type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker'
export interface ContactCard {
  name: string
  phones: string[]
  company: string | null
}
export interface ListSection {
  title: string | null
  rows: { id: string; title: string; description: string | null }[]
}

export type MessageView =
  | { kind: 'text'; text: string }
  | { kind: 'media'; mediaType: MediaType; caption: string | null; filename: string | null; voice: boolean }
  | { kind: 'location'; latitude: number; longitude: number; name: string | null; address: string | null }
  | { kind: 'contacts'; cards: ContactCard[] }
  | {
      kind: 'interactive'
      header: string | null
      body: string | null
      footer: string | null
      buttons: string[]
      list: { button: string; sections: ListSection[] } | null
      link: { text: string; url: string } | null
    }
  | { kind: 'reply'; label: string; title: string; description: string | null }
  | { kind: 'form'; fields: [string, string][] }
  | { kind: 'template'; name: string; language: string; components: Bag[] }
  | { kind: 'order'; text: string | null; items: { id: string; quantity: number | null; price: string | null }[] }
  | { kind: 'system'; text: string }
  | { kind: 'reaction'; targetWamid: string; emoji: string | null }
  | { kind: 'unsupported'; explanation: string }

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker'])

/** The type-specific object: Meta's send shape nests it under the type, our inbound shape does not. */
const inner = (m: ChatMessage): Bag => (m.direction === 'outbound' && isBag(m.content[m.type]) ? bag(m.content[m.type]) : m.content)

function textOfMessage(m: ChatMessage): string | null {
  const c = m.content
  return str(c.body) ?? str(bag(c.text).body) ?? str(c.text)
}

function contactCards(value: unknown): ContactCard[] {
  return list(value).map((raw) => {
    const card = bag(raw)
    const name = str(card.formattedName) ?? str(bag(card.name).formatted_name) ?? str(card.firstName) ?? 'Contact'
    const phones = list(card.phones).flatMap((p) => {
      const phone = str(bag(p).phone) ?? str(bag(p).waId) ?? str(bag(p).wa_id)
      return phone ? [phone] : []
    })
    return { name, phones, company: str(card.company) ?? str(bag(card.org).company) }
  })
}

function interactiveView(i: Bag): MessageView {
  const action = bag(i.action)
  const header = bag(i.header)
  const sections = list(action.sections).map((s) => ({
    title: str(bag(s).title),
    rows: list(bag(s).rows).map((r) => ({ id: str(bag(r).id) ?? '', title: str(bag(r).title) ?? '', description: str(bag(r).description) })),
  }))
  const parameters = bag(action.parameters)
  return {
    kind: 'interactive',
    header: str(header.text) ?? (str(header.type) && header.type !== 'text' ? `[${String(header.type)}]` : null),
    body: str(bag(i.body).text),
    footer: str(bag(i.footer).text),
    buttons: list(action.buttons).map((b) => str(bag(bag(b).reply).title) ?? ''),
    list: sections.length ? { button: str(action.button) ?? 'Options', sections } : null,
    link: action.name === 'cta_url' ? { text: str(parameters.display_text) ?? 'Open', url: str(parameters.url) ?? '' } : null,
  }
}

export function readMessage(m: ChatMessage): MessageView {
  const c = inner(m)
  if (m.type === 'note' || m.type === 'text') return { kind: 'text', text: textOfMessage(m) ?? '' }
  if (MEDIA.has(m.type))
    return {
      kind: 'media',
      mediaType: m.type as MediaType,
      caption: str(c.caption),
      filename: str(c.filename),
      voice: c.voice === true,
    }
  switch (m.type) {
    case 'location': {
      const latitude = Number(c.latitude)
      const longitude = Number(c.longitude)
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) break
      return { kind: 'location', latitude, longitude, name: str(c.name), address: str(c.address) }
    }
    case 'contacts':
      return { kind: 'contacts', cards: contactCards(m.direction === 'outbound' ? m.content.contacts : c.contacts) }
    case 'interactive': {
      if (m.direction === 'outbound') return interactiveView(c)
      if (c.kind === 'nfm_reply')
        return { kind: 'form', fields: Object.entries(bag(c.response)).filter(([k]) => k !== 'flow_token').map(([k, v]) => [k, String(v)]) }
      return { kind: 'reply', label: c.kind === 'list_reply' ? 'List reply' : 'Button reply', title: str(c.title) ?? '', description: str(c.description) }
    }
    case 'button':
      return { kind: 'reply', label: 'Button reply', title: str(c.text) ?? str(c.payload) ?? '', description: null }
    case 'template':
      return { kind: 'template', name: str(c.name) ?? '', language: str(bag(c.language).code) ?? '', components: list(c.components).map(bag) }
    case 'reaction':
      return { kind: 'reaction', targetWamid: str(c.messageId) ?? str(c.message_id) ?? '', emoji: str(c.emoji) }
    case 'order':
      return {
        kind: 'order',
        text: str(c.text),
        items: list(c.items).map((raw) => {
          const item = bag(raw)
          const price = typeof item.itemPrice === 'number' ? `${item.itemPrice} ${str(item.currency) ?? ''}`.trim() : null
          return { id: str(item.productRetailerId) ?? '?', quantity: typeof item.quantity === 'number' ? item.quantity : null, price }
        }),
      }
    case 'system':
      return { kind: 'system', text: str(c.body) ?? 'The customer’s WhatsApp account changed' }
    case 'unsupported':
    case 'unknown':
      return {
        kind: 'unsupported',
        explanation: `WhatsApp did not pass this message on${str(c.unsupportedType) ? ` (a ${String(c.unsupportedType)} message)` : ''}. It is a type the Cloud API does not support yet; ask the customer to send it another way.`,
      }
  }
  return {
    kind: 'unsupported',
    explanation: str(c.reason) ? `This message could not be shown: ${String(c.reason)}.` : `This ${m.type} message cannot be shown here yet.`,
  }
}

/** One line describing a message, for quotes and the reply bar. */
export function previewOf(m: ChatMessage): string {
  return messagePreview(m.type === 'note' ? 'text' : m.type, textOfMessage(m), inner(m))
}
