// How the inbox reads stored messages (our inbound form and Meta's outbound form) and renders WhatsApp text.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '@/ui/inbox/inbox-api'
import { previewOf, readMessage } from '@/ui/inbox/read-message'
import { fillSentTemplate } from '@/core/whatsapp/fill-template'
import { WhatsAppText } from '@/ui/inbox/whatsapp-text'

const message = (m: Partial<ChatMessage> & Pick<ChatMessage, 'type' | 'direction' | 'content'>): ChatMessage => ({
  id: 'm1', wamid: 'wamid.1', status: 'received', errorCode: null, errorTitle: null, errorDetails: null, replyToWamid: null,
  timestamp: '2026-01-01T10:00:00Z', sentAt: null, deliveredAt: null, readAt: null, failedAt: null, mediaId: null, mediaStatus: null, mediaBytes: null, sentBy: null, quoted: null, ...m,
})
const html = (text: string) => renderToStaticMarkup(createElement(WhatsAppText, { text }))

describe('WhatsApp text', () => {
  it('renders bold, italic, strike and monospace as elements, not markup from the text', () => {
    expect(html('*big* _soft_ ~gone~ ```x = 1```')).toContain('<strong>big</strong> <em>soft</em> <s>gone</s> <code')
    expect(html('<img src=x onerror=alert(1)> *hi*')).toContain('&lt;img src=x onerror=alert(1)&gt; <strong>hi</strong>')
  })

  it('leaves markers inside words alone and links URLs safely', () => {
    expect(html('snake_case_name')).not.toContain('<em>')
    const link = html('see https://example.com/a?b=1.')
    expect(link).toContain('href="https://example.com/a?b=1"')
    expect(link).toContain('rel="noopener noreferrer nofollow"')
    expect(html('javascript:alert(1)')).not.toContain('href')
  })

  it('styles a one-line preview without links, since the preview sits inside the conversation link', () => {
    const preview = renderToStaticMarkup(createElement(WhatsAppText, { text: '*Order 1042* shipped: https://example.com/t', inline: true }))
    expect(preview).toBe('<span><strong>Order 1042</strong> shipped: https://example.com/t</span>')
  })
})

describe('reading stored messages', () => {
  it('reads inbound content in our parsed form and outbound content in Meta’s form', () => {
    expect(readMessage(message({ type: 'text', direction: 'inbound', content: { type: 'text', body: 'hi', text: 'hi' } }))).toEqual({ kind: 'text', text: 'hi' })
    expect(readMessage(message({ type: 'text', direction: 'outbound', content: { type: 'text', text: { body: 'yo' } } }))).toEqual({ kind: 'text', text: 'yo' })
    expect(readMessage(message({ type: 'note', direction: 'outbound', content: { text: 'internal' } }))).toEqual({ kind: 'text', text: 'internal' })
    expect(readMessage(message({ type: 'image', direction: 'outbound', content: { type: 'image', image: { id: '1', caption: 'Menu' } } }))).toMatchObject({ kind: 'media', caption: 'Menu' })
    expect(readMessage(message({ type: 'document', direction: 'inbound', content: { type: 'document', filename: 'a.pdf', caption: null } }))).toMatchObject({ filename: 'a.pdf' })
  })

  it('reads interactive messages, the replies to them and reactions', () => {
    const buttons = readMessage(
      message({
        type: 'interactive',
        direction: 'outbound',
        content: { interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'Oat' } }] } } },
      }),
    )
    expect(buttons).toMatchObject({ kind: 'interactive', body: 'Pick', buttons: ['Oat'] })
    expect(readMessage(message({ type: 'interactive', direction: 'inbound', content: { kind: 'button_reply', id: 'a', title: 'Oat' } }))).toMatchObject({ kind: 'reply', title: 'Oat' })
    expect(readMessage(message({ type: 'reaction', direction: 'inbound', content: { messageId: 'wamid.9', emoji: null, removed: true } }))).toEqual({ kind: 'reaction', targetWamid: 'wamid.9', emoji: null })
    expect(readMessage(message({ type: 'reaction', direction: 'outbound', content: { reaction: { message_id: 'wamid.8', emoji: '👍' } } }))).toEqual({ kind: 'reaction', targetWamid: 'wamid.8', emoji: '👍' })
  })

  it('explains what it cannot show instead of failing', () => {
    expect(readMessage(message({ type: 'unsupported', direction: 'inbound', content: { unsupportedType: 'poll' } }))).toMatchObject({ kind: 'unsupported' })
    expect(readMessage(message({ type: 'edit', direction: 'inbound', content: { type: 'other', reason: 'unrecognised message type "edit"' } }))).toMatchObject({ kind: 'unsupported', explanation: expect.stringContaining('edit') })
    expect(previewOf(message({ type: 'location', direction: 'outbound', content: { location: { latitude: 1, longitude: 2, name: 'Shop' } } }))).toBe('📍 Location: Shop')
  })

  it('fills a sent template from its definition, positional or named', () => {
    const filled = fillSentTemplate(
      [{ type: 'BODY', text: 'Hi {{1}}, order {{2}}' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track' }] }],
      [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#7' }] }],
    )
    expect(filled).toMatchObject({ body: 'Hi Ana, order #7', buttons: ['Track'] })
    const named = fillSentTemplate([{ type: 'BODY', text: 'Hi {{first_name}}' }], [{ type: 'body', parameters: [{ type: 'text', text: 'Leo', parameter_name: 'first_name' }] }])
    expect(named.body).toBe('Hi Leo')
  })
})
