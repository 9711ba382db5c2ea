import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { messagePreview, PREVIEW_MAX_LENGTH } from '@/core/whatsapp/message-preview'
import { parseWebhook } from '@/core/whatsapp/parse-webhook'
import type { InboundMessageEvent } from '@/core/whatsapp/webhook-events'

const DIR = path.resolve(import.meta.dirname, '../../fixtures/meta')
const previewsOf = (name: string) =>
  parseWebhook(JSON.parse(readFileSync(path.join(DIR, name), 'utf8')))
    .filter((e): e is InboundMessageEvent => e.kind === 'message')
    .map((m) => messagePreview(m.type, m.text, m.content))
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

describe('previews of parsed inbound messages', () => {
  it.each([
    ['01_text.json', 'Olá! Vocês entregam no sábado?'],
    ['05_image_caption.json', '📷 Photo · This is the damaged box'],
    ['06_video_caption.json', '🎥 Video · Unboxing, the seal was broken'],
    ['07_audio_file.json', '🎵 Audio'],
    ['08_audio_voice.json', '🎤 Voice message'],
    ['09_document_filename.json', '📄 invoice-1042.pdf · Invoice for order 1042'],
    ['10_sticker_animated.json', '💟 Sticker'],
    ['11_location_named.json', '📍 Location: Meta HQ'],
    ['12_interactive_button_reply.json', 'Yes, confirm'],
    ['13_interactive_list_reply.json', 'Sábado 10h'],
    ['14_interactive_nfm_reply_flow.json', '📋 Form submitted'],
    ['15_button_template_quick_reply.json', 'Stop promotions'],
    ['16_reaction_add.json', '👍 reacted'],
    ['18_contacts_shared.json', '👤 2 contacts: João Lima, Ana'],
    ['19_order.json', '🛒 Order · 2 items · Sin cebolla por favor'],
    ['20_system_user_changed_number.json', 'Mariana Souza changed from 5511987654321 to 5511976543210'],
    ['39_message_edit_unknown_type.json', '⚠️ Unsupported message'],
  ])('%s reads "%s"', (name, preview) => {
    expect(previewsOf(name)).toEqual([preview])
  })

  it('a removed reaction says so, whether the emoji was empty or absent', () => {
    expect(previewsOf('17_reaction_remove.json')).toEqual(['Removed a reaction', 'Removed a reaction'])
  })

  it('unsupported and legacy unknown messages read as unsupported', () => {
    expect(previewsOf('21_unsupported_and_unknown.json')).toEqual(['⚠️ Unsupported message', '⚠️ Unsupported message'])
  })

  it('an image without caption, or whose media could not be read, is still a photo', () => {
    expect(previewsOf('37_multi_entry_multi_number.json')).toEqual(['Pedido 1042 chegou?', '¿A qué hora abren?', '📷 Photo'])
    expect(previewsOf('40_partially_invalid_batch.json')).toEqual(['first one is fine', '📷 Photo', 'last one is fine too'])
  })
})

describe('previews of outbound send objects (Meta snake_case)', () => {
  it.each([
    ['image', null, { link: 'https://cdn.example.com/a.jpg', caption: 'Your receipt' }, '📷 Photo · Your receipt'],
    ['document', null, { link: 'https://cdn.example.com/a.pdf', filename: 'boleto.pdf' }, '📄 boleto.pdf'],
    ['audio', null, { id: '123' }, '🎵 Audio'],
    ['location', null, { latitude: -23.56, longitude: -46.65, address: 'Av. Paulista, 1000' }, '📍 Location: Av. Paulista, 1000'],
    ['contacts', null, [{ name: { formatted_name: 'Ana Souza' } }], '👤 Contact: Ana Souza'],
    ['reaction', null, { message_id: 'wamid.x', emoji: '❤️' }, '❤️ reacted'],
    ['reaction', null, { message_id: 'wamid.x', emoji: '' }, 'Removed a reaction'],
    ['interactive', null, { type: 'button', body: { text: 'Pick a delivery slot' } }, 'Pick a delivery slot'],
    ['template', null, { name: 'order_confirmation', language: { code: 'pt_BR' } }, '📄 Template: order_confirmation'],
    ['template', 'Olá Ana, seu pedido 1042 saiu para entrega', { name: 'order_update' }, 'Olá Ana, seu pedido 1042 saiu para entrega'],
  ])('%s %j reads "%s"', (type, text, content, preview) => {
    expect(messagePreview(type, text, content)).toBe(preview)
  })
})

describe('preview text hygiene', () => {
  it('collapses newlines, tabs and runs of spaces into single spaces', () => {
    expect(messagePreview('text', 'Line one\n\nLine two\t\tend  ', null)).toBe('Line one Line two end')
  })

  it('drops control characters and bidi overrides that could spoof the list row', () => {
    expect(messagePreview('text', 'pay\u202Eexe.pdf\u0000now', null)).toBe('pay exe.pdf now')
  })

  it('falls back to a label when the text is empty or only whitespace', () => {
    expect(messagePreview('text', '   ', null)).toBe('Message')
    expect(messagePreview('image', ' \n ', { caption: '' })).toBe('📷 Photo')
  })

  it('keeps a text of exactly the maximum length untouched', () => {
    const exact = 'a'.repeat(PREVIEW_MAX_LENGTH)
    expect(messagePreview('text', exact, null)).toBe(exact)
  })

  it('cuts a long text to at most 120 characters with an ellipsis', () => {
    const preview = messagePreview('text', 'word '.repeat(100), null)
    expect(preview.length).toBeLessThanOrEqual(120)
    expect(preview.endsWith('…')).toBe(true)
    expect(preview).not.toMatch(/\s…$/)
  })

  it('never splits an emoji, a skin-tone modifier or a ZWJ family when cutting', () => {
    for (const unit of ['👍🏽', '👨‍👩‍👧‍👦', '🇧🇷', 'é']) {
      const preview = messagePreview('text', `x${unit.repeat(200)}`, null)
      expect(preview.length).toBeLessThanOrEqual(120)
      expect(preview).not.toMatch(LONE_SURROGATE)
      const kept = preview.slice(1, -1)
      expect(kept.length % unit.length).toBe(0)
      expect(kept).toBe(unit.repeat(kept.length / unit.length))
    }
  })

  it('keeps long captions within the limit together with their label', () => {
    const preview = messagePreview('image', 'c'.repeat(500), { caption: 'c'.repeat(500) })
    expect(preview.startsWith('📷 Photo · ccc')).toBe(true)
    expect(preview.length).toBeLessThanOrEqual(120)
  })

  it('never throws and never returns an empty or over-long line, whatever the content', () => {
    const types = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system', 'template', 'unsupported', '', '__proto__']
    const contents: unknown[] = [null, undefined, 42, 'x', [], [null, 1], { voice: 'yes' }, { contacts: 'nope' }, { contacts: [null, { name: 5 }] }, Object.create(null), { items: 5 }, { caption: { nested: true } }, { body: 'x'.repeat(10_000) }]
    for (const type of types) {
      for (const content of contents) {
        for (const text of [null, undefined, '', 'hi', 'y'.repeat(1000)]) {
          const preview = messagePreview(type, text, content)
          expect(typeof preview).toBe('string')
          expect(preview.length).toBeGreaterThan(0)
          expect(preview.length).toBeLessThanOrEqual(120)
        }
      }
    }
  })
})
