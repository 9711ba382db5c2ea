import { describe, expect, it } from 'vitest'
import { markAsReadSchema, outboundMessageSchema, requiresServiceWindow } from '@/core/whatsapp/outbound-message'
import examples from './fixtures/outbound-messages.json'

type Json = Record<string, unknown>
const clone = <T>(value: T): T => structuredClone(value)

// The failing paths (dotted, as parseInput reports them) with their messages.
function issues(input: unknown) {
  const result = outboundMessageSchema.safeParse(input)
  if (result.success) return []
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}
const paths = (input: unknown) => issues(input).map((i) => i.path)

const text = (patch: Json = {}) => ({ ...clone(examples.text.minimal), ...patch })
const buttons = (...list: { id: string; title: string }[]) => {
  const message = clone(examples.interactive_button.minimal) as Json & { interactive: Json & { action: Json } }
  message.interactive.action.buttons = list.map((reply) => ({ type: 'reply', reply }))
  return message
}
const list = (sections: unknown[]) => {
  const message = clone(examples.interactive_list.minimal) as Json & { interactive: Json & { action: Json } }
  message.interactive.action.sections = sections
  return message
}
const rows = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${prefix}${i}` }))

describe('outbound message schema', () => {
  describe.each(Object.entries(examples))('a %s message', (_type, forms) => {
    it('is accepted in its minimal form', () => {
      expect(issues(forms.minimal)).toEqual([])
    })

    it('is accepted in its maximal form', () => {
      expect(issues(forms.maximal)).toEqual([])
    })
  })

  it('fills in the envelope Meta requires when it is left out', () => {
    const parsed = outboundMessageSchema.parse(examples.text.minimal)
    expect(parsed).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234' })
  })

  it('reads the number in the to field as digits with an optional plus', () => {
    expect(paths(text({ to: '+351912345678' }))).toEqual([])
    expect(paths(text({ to: '351 912 345 678' }))).toEqual(['to'])
    expect(paths(text({ to: '0912345678' }))).toEqual(['to'])
    expect(paths(text({ to: '1234' }))).toEqual(['to'])
  })

  it('names a missing recipient as required', () => {
    const noRecipient: Json = text()
    delete noRecipient.to
    expect(issues(noRecipient)).toEqual([{ path: 'to', message: 'is required' }])
  })

  it('rejects an unknown message type at the type field', () => {
    expect(paths({ to: '16505551234', type: 'poll', poll: {} })).toEqual(['type'])
  })

  it('rejects keys Meta does not know, such as a misspelled preview flag', () => {
    expect(issues(text({ text: { body: 'hi', previewUrl: true } }))[0]?.path).toBe('text')
  })

  it('rejects a text body of 4097 characters and accepts 4096', () => {
    expect(issues(text({ text: { body: 'x'.repeat(4097) } }))).toEqual([
      { path: 'text.body', message: 'must be at most 4096 characters' },
    ])
    expect(issues(text({ text: { body: 'x'.repeat(4096) } }))).toEqual([])
  })

  it('rejects an empty text body', () => {
    expect(paths(text({ text: { body: '' } }))).toEqual(['text.body'])
  })

  it('rejects biz_opaque_callback_data longer than 512 characters', () => {
    expect(paths(text({ biz_opaque_callback_data: 'x'.repeat(513) }))).toEqual(['biz_opaque_callback_data'])
  })

  it('rejects a reply context without the quoted message id', () => {
    expect(paths(text({ context: {} }))).toEqual(['context.message_id'])
  })

  it('rejects a caption on audio, naming the caption', () => {
    const message = { to: '16505551234', type: 'audio', audio: { id: '1', caption: 'listen' } }
    expect(issues(message)).toEqual([{ path: 'audio.caption', message: 'is not allowed on audio' }])
  })

  it('rejects a caption on a sticker, naming the caption', () => {
    expect(paths({ to: '16505551234', type: 'sticker', sticker: { id: '1', caption: 'hi' } })).toEqual(['sticker.caption'])
  })

  it('rejects a filename on anything but a document', () => {
    expect(paths({ to: '16505551234', type: 'image', image: { id: '1', filename: 'a.jpg' } })).toEqual(['image'])
    expect(paths({ to: '16505551234', type: 'audio', audio: { id: '1', filename: 'a.ogg' } })).toEqual(['audio.filename'])
  })

  it('rejects a caption of 1025 characters on an image', () => {
    expect(issues({ to: '16505551234', type: 'image', image: { id: '1', caption: 'x'.repeat(1025) } })).toEqual([
      { path: 'image.caption', message: 'must be at most 1024 characters' },
    ])
  })

  it.each(['image', 'video', 'audio', 'document', 'sticker'])('rejects %s media given by both id and link', (type) => {
    const message = { to: '16505551234', type, [type]: { id: '1037543291543636', link: 'https://cdn.example.com/a' } }
    expect(issues(message)).toEqual([{ path: `${type}.link`, message: 'must not be set together with id; give one of them' }])
  })

  it.each(['image', 'video', 'audio', 'document', 'sticker'])('rejects %s media given by neither id nor link', (type) => {
    expect(issues({ to: '16505551234', type, [type]: {} })).toEqual([
      { path: `${type}.id`, message: 'is required unless link is given' },
    ])
  })

  it('rejects a media link that is not https', () => {
    expect(issues({ to: '16505551234', type: 'image', image: { link: 'http://cdn.example.com/a.jpg' } })).toEqual([
      { path: 'image.link', message: 'must be an https URL' },
    ])
  })

  it.each([
    ['latitude 91', { latitude: 91, longitude: 0 }, 'location.latitude'],
    ['latitude -90.5', { latitude: -90.5, longitude: 0 }, 'location.latitude'],
    ['longitude 181', { latitude: 0, longitude: 181 }, 'location.longitude'],
    ['a latitude given as text', { latitude: '38.7', longitude: 0 }, 'location.latitude'],
  ])('rejects a location with %s', (_label, location, path) => {
    expect(paths({ to: '16505551234', type: 'location', location })).toEqual([path])
  })

  it('rejects a contact card without a formatted name', () => {
    expect(paths({ to: '16505551234', type: 'contacts', contacts: [{ name: { first_name: 'Ana' } }] })).toEqual([
      'contacts.0.name.formatted_name',
    ])
  })

  it('rejects a contact name with nothing but the formatted name, as Meta does', () => {
    expect(paths({ to: '16505551234', type: 'contacts', contacts: [{ name: { formatted_name: 'Ana' } }] })).toEqual([
      'contacts.0.name.first_name',
    ])
  })

  it('rejects an empty contacts list and a birthday that is not a date', () => {
    expect(paths({ to: '16505551234', type: 'contacts', contacts: [] })).toEqual(['contacts'])
    const card = { name: { formatted_name: 'Ana', first_name: 'Ana' }, birthday: '31/12/1990' }
    expect(paths({ to: '16505551234', type: 'contacts', contacts: [card] })).toEqual(['contacts.0.birthday'])
  })

  it('rejects four reply buttons', () => {
    const message = buttons({ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'c', title: 'C' }, { id: 'd', title: 'D' })
    expect(issues(message)).toEqual([{ path: 'interactive.action.buttons', message: 'must have at most 3 buttons' }])
  })

  it('rejects a button message without buttons', () => {
    expect(paths(buttons())).toEqual(['interactive.action.buttons'])
  })

  it('rejects duplicate button ids at the second one', () => {
    const message = buttons({ id: 'same', title: 'Yes' }, { id: 'same', title: 'No' })
    expect(issues(message)).toEqual([
      { path: 'interactive.action.buttons.1.reply.id', message: 'must be unique; another button id already uses "same"' },
    ])
  })

  it('rejects duplicate button titles', () => {
    expect(paths(buttons({ id: 'a', title: 'Yes' }, { id: 'b', title: 'Yes' }))).toEqual([
      'interactive.action.buttons.1.reply.title',
    ])
  })

  it('rejects a button title of 21 characters and an id of 257', () => {
    expect(issues(buttons({ id: 'a', title: 'x'.repeat(21) }))).toEqual([
      { path: 'interactive.action.buttons.0.reply.title', message: 'must be at most 20 characters' },
    ])
    expect(paths(buttons({ id: 'x'.repeat(257), title: 'A' }))).toEqual(['interactive.action.buttons.0.reply.id'])
  })

  it('rejects an interactive body of 1025 characters, a header of 61 and a footer of 61', () => {
    const message = clone(examples.interactive_button.maximal)
    message.interactive.body.text = 'x'.repeat(1025)
    message.interactive.footer.text = 'x'.repeat(61)
    expect(paths(message)).toEqual(['interactive.body.text', 'interactive.footer.text'])
    const withHeader = {
      ...clone(examples.interactive_button.minimal),
      interactive: { ...examples.interactive_button.minimal.interactive },
    }
    Object.assign(withHeader.interactive, { header: { type: 'text', text: 'x'.repeat(61) } })
    expect(paths(withHeader)).toEqual(['interactive.header.text'])
  })

  it('rejects a list with 11 rows across its sections', () => {
    const message = list([
      { title: 'One', rows: rows(6, 'a') },
      { title: 'Two', rows: rows(5, 'b') },
    ])
    expect(issues(message)).toEqual([
      { path: 'interactive.action.sections', message: 'must have at most 10 rows in total, has 11' },
    ])
  })

  it('rejects a list with 11 sections', () => {
    const message = list(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}-`) })))
    expect(paths(message)).toContain('interactive.action.sections')
  })

  it('rejects a row title of 25 characters and a description of 73', () => {
    const message = list([{ rows: [{ id: 'a', title: 'x'.repeat(25), description: 'y'.repeat(73) }] }])
    expect(issues(message)).toEqual([
      { path: 'interactive.action.sections.0.rows.0.title', message: 'must be at most 24 characters' },
      { path: 'interactive.action.sections.0.rows.0.description', message: 'must be at most 72 characters' },
    ])
  })

  it('requires a section title when there are two sections', () => {
    const message = list([{ title: 'One', rows: rows(1, 'a') }, { rows: rows(1, 'b') }])
    expect(issues(message)).toEqual([
      { path: 'interactive.action.sections.1.title', message: 'is required when there is more than one section' },
    ])
  })

  it('rejects duplicate row ids even across sections', () => {
    const message = list([
      { title: 'One', rows: [{ id: 'same', title: 'A' }] },
      { title: 'Two', rows: [{ id: 'same', title: 'B' }] },
    ])
    expect(paths(message)).toEqual(['interactive.action.sections.1.rows.0.id'])
  })

  it('rejects a list button label of 21 characters, a section title of 25 and a row id of 201', () => {
    const message = list([{ title: 'x'.repeat(25), rows: [{ id: 'i'.repeat(201), title: 'A' }] }])
    message.interactive.action.button = 'b'.repeat(21)
    expect(paths(message)).toEqual([
      'interactive.action.button',
      'interactive.action.sections.0.title',
      'interactive.action.sections.0.rows.0.id',
    ])
  })

  it('rejects a media header on a list, which only takes text', () => {
    const message = clone(examples.interactive_list.minimal) as Json & { interactive: Json }
    message.interactive.header = { type: 'image', image: { link: 'https://cdn.example.com/a.jpg' } }
    expect(paths(message)).toEqual(['interactive.header.type'])
  })

  it('rejects a call-to-action label of 21 characters and a plain http link', () => {
    const message = clone(examples.interactive_cta_url.minimal)
    message.interactive.action.parameters = { display_text: 'x'.repeat(21), url: 'http://shop.example.com' }
    expect(paths(message)).toEqual(['interactive.action.parameters.display_text', 'interactive.action.parameters.url'])
  })

  it('rejects a template name with capitals and a language without a code', () => {
    const message = { to: '16505551234', type: 'template', template: { name: 'Order Update', language: {} } }
    expect(paths(message)).toEqual(['template.name', 'template.language.code'])
  })

  it('rejects a template button without a position and a url button without its parameter', () => {
    const message = clone(examples.template.minimal) as Json & { template: Json }
    message.template.components = [
      { type: 'button', sub_type: 'quick_reply', index: '10', parameters: [{ type: 'payload', payload: 'x' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [] },
    ]
    expect(issues(message)).toEqual([
      { path: 'template.components.0.index', message: 'must be the button position, 0 to 9' },
      { path: 'template.components.1.parameters', message: 'must have exactly 1 parameter' },
    ])
  })

  it('rejects an image as a body parameter and a currency without its ISO code', () => {
    const message = clone(examples.template.minimal) as Json & { template: Json }
    message.template.components = [
      {
        type: 'body',
        parameters: [
          { type: 'image', image: { id: '1' } },
          { type: 'currency', currency: { fallback_value: '$1', code: 'dollars', amount_1000: 1000 } },
        ],
      },
    ]
    expect(paths(message)).toEqual([
      'template.components.0.parameters.0.type',
      'template.components.0.parameters.1.currency.code',
    ])
  })

  it('accepts a reaction removal with an empty emoji', () => {
    expect(issues(examples.reaction.minimal)).toEqual([])
  })

  it('rejects a reaction that is a word or two emoji', () => {
    const reaction = (emoji: string) => ({ to: '16505551234', type: 'reaction', reaction: { message_id: 'wamid.X', emoji } })
    expect(paths(reaction('ok'))).toEqual(['reaction.emoji'])
    expect(paths(reaction('👍👍'))).toEqual(['reaction.emoji'])
    expect(paths(reaction('🇵🇹'))).toEqual([])
  })

  it('rejects a reaction without the message it reacts to', () => {
    expect(paths({ to: '16505551234', type: 'reaction', reaction: { emoji: '👍' } })).toEqual(['reaction.message_id'])
  })
})

describe('mark-as-read schema', () => {
  it('accepts a read receipt with and without the typing indicator', () => {
    expect(markAsReadSchema.parse({ status: 'read', message_id: 'wamid.X' })).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.X',
    })
    expect(
      markAsReadSchema.safeParse({ status: 'read', message_id: 'wamid.X', typing_indicator: { type: 'text' } }).success,
    ).toBe(true)
  })

  it('rejects another status, a missing message id and another typing indicator', () => {
    const result = markAsReadSchema.safeParse({ status: 'delivered', typing_indicator: { type: 'audio' } })
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['status', 'message_id', 'typing_indicator.type'])
  })
})

describe('service window', () => {
  it('is needed by every message type except templates', () => {
    for (const [name, forms] of Object.entries(examples)) {
      const message = outboundMessageSchema.parse(forms.minimal)
      expect(requiresServiceWindow(message), name).toBe(name !== 'template')
    }
  })
})
