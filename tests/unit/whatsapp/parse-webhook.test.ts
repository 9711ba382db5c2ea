import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { messagePreview } from '@/core/whatsapp/message-preview'
import { parseWebhook } from '@/core/whatsapp/parse-webhook'
import { isStatusUpgrade, STATUS_RANK, statusRank } from '@/core/whatsapp/status-rank'
import {
  WEBHOOK_EVENT_KINDS,
  type InboundMessageEvent,
  type MessageContentType,
  type WebhookEvent,
} from '@/core/whatsapp/webhook-events'

const DIR = path.resolve(import.meta.dirname, '../../fixtures/meta')
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== 'EXPECTED.json')
  .sort()
const WABA = '104857293847561'
const NUMBER_A = '106540352242922'
const NUMBER_B = '108374652019283'
const BUSINESS_WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA'

const text = (name: string) => readFileSync(path.join(DIR, name), 'utf8')
const load = (name: string): unknown => JSON.parse(text(name))
function parse(name: string): WebhookEvent[] {
  return parseWebhook(load(name))
}
function only<K extends WebhookEvent['kind']>(events: WebhookEvent[], kind: K): Extract<WebhookEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<WebhookEvent, { kind: K }> => e.kind === kind)
}
function theMessage(name: string): InboundMessageEvent {
  const events = parse(name)
  expect(events.map((e) => e.kind)).toEqual(['message'])
  return only(events, 'message')[0]!
}
const at = (seconds: number) => new Date(seconds * 1000)
/** The 8-hex serial the fixture generator put in each wamid (…SGBQ<serial>QUFB…). */
const serial = (wamid: string) => /SGBQ([0-9A-F]{8})QUFB/.exec(wamid)?.[1] ?? wamid
const unixString = (date: Date) => String(date.getTime() / 1000)

// ---------- the shared samples against the independently written EXPECTED.json ----------

interface ExpectedFacts {
  messages: Record<string, unknown>[]
  statuses: Record<string, unknown>[]
  others: unknown[]
  value_errors: unknown[]
}
const EXPECTED = JSON.parse(text('EXPECTED.json')) as Record<string, ExpectedFacts>

function extraOf(m: InboundMessageEvent): Record<string, unknown> {
  const c = m.content
  switch (c.type) {
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return { media_id: c.mediaId, mime_type: c.mimeType }
    case 'interactive':
      return { interactive_type: c.kind, reply_id: c.id }
    case 'reaction':
      return { reacted_wamid: c.messageId, emoji: c.emoji, removed: c.removed }
    default:
      return {}
  }
}

function factsOf(events: WebhookEvent[]): ExpectedFacts {
  return {
    messages: only(events, 'message').map((m) => ({
      phone_number_id: m.phoneNumberId,
      waba_id: m.wabaId,
      from: m.from,
      wamid: m.wamid,
      type: m.type,
      text_or_caption: m.text,
      timestamp: unixString(m.timestamp),
      context_wamid: m.contextWamid,
      profile_name: m.profileName,
      extra: extraOf(m),
    })),
    statuses: only(events, 'status').map((s) => ({
      phone_number_id: s.phoneNumberId,
      wamid: s.wamid,
      status: s.status,
      recipient_id: s.recipientId,
      timestamp: unixString(s.timestamp),
      error_code: s.errors[0]?.code ?? null,
      pricing_category: s.pricing?.category ?? null,
      billable: s.pricing?.billable ?? null,
    })),
    others: events.filter((e) => !['message', 'status', 'value_error'].includes(e.kind)),
    value_errors: only(events, 'value_error'),
  }
}

describe('shared Meta samples', () => {
  it.each(Object.keys(EXPECTED))('%s yields exactly the facts listed in EXPECTED.json', (name) => {
    expect(factsOf(parse(name))).toEqual(EXPECTED[name])
  })
})

// ---------- inbound messages ----------

describe('inbound messages', () => {
  it('a reply carries the quoted wamid and who sent the quoted message', () => {
    const m = theMessage('02_text_reply_context.json')
    expect(m).toMatchObject({ from: '16505551234', profileName: 'Sheena Nelson', text: 'Yes, 3pm works for me' })
    expect(m).toMatchObject({ contextWamid: BUSINESS_WAMID, contextFrom: '15550783881', forwarded: false })
    expect(m.timestamp).toEqual(at(1795481000))
  })

  it('a forwarded text is flagged forwarded but not frequently forwarded', () => {
    const m = theMessage('03_text_forwarded.json')
    expect(m).toMatchObject({ forwarded: true, frequentlyForwarded: false, contextWamid: null, text: 'Olha essa promoção' })
  })

  it('a frequently forwarded text carries both flags', () => {
    expect(theMessage('04_text_frequently_forwarded.json')).toMatchObject({ forwarded: true, frequentlyForwarded: true })
  })

  it('a video keeps its media id, mime type, hash and caption', () => {
    const m = theMessage('06_video_caption.json')
    expect(m.content).toEqual({
      type: 'video',
      mediaId: '1620944228751034',
      mimeType: 'video/mp4',
      sha256: 'Jh2ij6PzUvJ2ygrrtegrZMzRxkEPwc24Oyib4s03w9Jc=',
      url: null,
      caption: 'Unboxing, the seal was broken',
    })
    expect(m.text).toBe('Unboxing, the seal was broken')
  })

  it('an audio file is not a voice message and has no text', () => {
    const m = theMessage('07_audio_file.json')
    expect(m.content).toMatchObject({ type: 'audio', voice: false, mediaId: '1120345762319876', mimeType: 'audio/mpeg' })
    expect(m.text).toBeNull()
  })

  it('a voice note is an audio with voice set', () => {
    const m = theMessage('08_audio_voice.json')
    expect(m.content).toMatchObject({ type: 'audio', voice: true, mimeType: 'audio/ogg; codecs=opus', mediaId: '987654321012345' })
    expect(m.profileName).toBe('Lucía Pérez')
  })

  it('a document keeps its filename and caption', () => {
    const m = theMessage('09_document_filename.json')
    expect(m.content).toMatchObject({ type: 'document', filename: 'invoice-1042.pdf', caption: 'Invoice for order 1042', mimeType: 'application/pdf' })
    expect(m.text).toBe('Invoice for order 1042')
  })

  it('an animated sticker is marked animated', () => {
    expect(theMessage('10_sticker_animated.json').content).toMatchObject({ type: 'sticker', animated: true, mimeType: 'image/webp' })
  })

  it('a location keeps coordinates, name, address and url', () => {
    expect(theMessage('11_location_named.json').content).toEqual({
      type: 'location',
      latitude: 37.4611978,
      longitude: -122.2164385,
      name: 'Meta HQ',
      address: '1 Hacker Way, Menlo Park, CA 94025',
      url: 'https://maps.google.com/?cid=2000000000000000000',
    })
  })

  it('a list reply gives its row id, title and description, and the title as text', () => {
    const m = theMessage('13_interactive_list_reply.json')
    expect(m.content).toMatchObject({ type: 'interactive', kind: 'list_reply', id: 'slot_sat_10', title: 'Sábado 10h', description: 'Entrega entre 10h e 12h' })
    expect(m.text).toBe('Sábado 10h')
    expect(m.contextWamid).toBe(BUSINESS_WAMID)
  })

  it('a Flow completion (nfm_reply) parses response_json and takes the business-scoped ids from contacts', () => {
    const m = theMessage('14_interactive_nfm_reply_flow.json')
    expect(m.content).toMatchObject({ type: 'interactive', kind: 'nfm_reply', id: null, title: null })
    if (m.content.type !== 'interactive') throw new Error('expected interactive content')
    expect(m.content.response).toEqual({ flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.', delivery_rating: '4', comment_text: 'Fast delivery' })
    expect(JSON.parse(m.content.responseJson!)).toEqual(m.content.response)
    expect(m.text).toBeNull()
    expect(m).toMatchObject({ userId: 'US.13491208655302741918', parentUserId: 'US.ENT.11815799212886844830' })
  })

  it('a template quick-reply button gives payload and text, quoting the template', () => {
    const m = theMessage('15_button_template_quick_reply.json')
    expect(m.content).toEqual({ type: 'button', payload: 'STOP_PROMOTIONS', text: 'Stop promotions' })
    expect(m).toMatchObject({ text: 'Stop promotions', contextWamid: BUSINESS_WAMID })
  })

  it('a reaction with an empty or absent emoji is a removal', () => {
    const events = only(parse('17_reaction_remove.json'), 'message')
    expect(events.map((m) => m.content)).toEqual([
      { type: 'reaction', messageId: BUSINESS_WAMID, emoji: null, removed: true },
      { type: 'reaction', messageId: BUSINESS_WAMID, emoji: null, removed: true },
    ])
    expect(events.map((m) => m.text)).toEqual([null, null])
  })

  it('shared contact cards are normalised, one per card', () => {
    expect(theMessage('18_contacts_shared.json').content).toEqual({
      type: 'contacts',
      contacts: [
        {
          formattedName: 'João Lima',
          firstName: 'João',
          lastName: 'Lima',
          phones: [{ phone: '+55 11 91234-5678', waId: '5511912345678', type: 'CELL' }],
          emails: [{ email: 'joao@example.com', type: 'WORK' }],
          company: 'Lima Transportes',
          urls: ['https://lima.example.com'],
          birthday: '1988-04-12',
        },
        {
          formattedName: 'Ana',
          firstName: 'Ana',
          lastName: null,
          phones: [{ phone: '+55 21 99876-5432', waId: null, type: 'HOME' }],
          emails: [],
          company: null,
          urls: [],
          birthday: null,
        },
      ],
    })
  })

  it('an order keeps catalog, note and every line item', () => {
    const m = theMessage('19_order.json')
    expect(m.content).toEqual({
      type: 'order',
      catalogId: '354160437058781',
      text: 'Sin cebolla por favor',
      items: [
        { productRetailerId: 'TACO_AL_PASTOR', quantity: 3, itemPrice: 45.5, currency: 'MXN' },
        { productRetailerId: 'AGUA_HORCHATA', quantity: 1, itemPrice: 30, currency: 'MXN' },
      ],
    })
    expect(m.text).toBe('Sin cebolla por favor')
  })

  it('a changed-number system message arrives without contacts and names the new wa_id', () => {
    const m = theMessage('20_system_user_changed_number.json')
    expect(m.content).toEqual({
      type: 'system',
      body: 'Mariana Souza changed from 5511987654321 to 5511976543210',
      systemType: 'user_changed_number',
      newWaId: '5511976543210',
      newUserId: null,
    })
    expect(m).toMatchObject({ from: '5511987654321', profileName: null, text: 'Mariana Souza changed from 5511987654321 to 5511976543210' })
  })

  it('a changed-user-id system message has no sender number and names the new user id', () => {
    const m = theMessage('38_system_user_changed_user_id.json')
    expect(m).toMatchObject({ from: null, userId: null, type: 'system' })
    expect(m.content).toMatchObject({ systemType: 'user_changed_user_id', newUserId: 'BR.5566778899001122', newWaId: null })
  })

  it('unsupported and legacy unknown messages keep their errors, including top-level details', () => {
    const [unsupported, legacy] = only(parse('21_unsupported_and_unknown.json'), 'message')
    expect(unsupported!.content).toEqual({
      type: 'unsupported',
      unsupportedType: 'poll',
      errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.', href: null }],
    })
    expect(unsupported!.errors).toEqual(unsupported!.content.type === 'unsupported' ? unsupported!.content.errors : [])
    expect(legacy!.type).toBe('unknown')
    expect(legacy!.content).toMatchObject({ type: 'unsupported', unsupportedType: null })
    expect(legacy!.errors).toEqual([{ code: 131051, title: 'Message type unknown', message: null, details: 'Message type is not currently supported', href: null }])
  })

  it('a click-to-WhatsApp ad referral is attached to the text message', () => {
    const m = theMessage('29_referral_ctwa.json')
    expect(m.text).toBe('Hola, vi su anuncio. ¿Tienen envío gratis?')
    expect(m.referral).toEqual({
      sourceUrl: 'https://fb.me/3bJvXk2mQ',
      sourceId: '120208765432109876',
      sourceType: 'ad',
      headline: 'Envío gratis este fin de semana',
      body: 'Pide tus tacos por WhatsApp',
      mediaType: 'image',
      imageUrl: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-image.jpg',
      videoUrl: null,
      thumbnailUrl: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-thumb.jpg',
      ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP',
    })
  })

  it('a username sender with only a user id is matched to its contact by user_id', () => {
    const events = parse('30_user_id_only_sender.json')
    const [m] = only(events, 'message')
    expect(m).toMatchObject({ from: null, userId: 'BR.1349120865530274', parentUserId: 'BR.ENT.9081726354', profileName: 'kiko_ferreira' })
    expect(only(events, 'status')[0]).toMatchObject({ status: 'delivered', recipientId: null, recipientUserId: 'BR.1349120865530274' })
  })

  it('a product enquiry carries the referred product from the context', () => {
    expect(theMessage('41_text_referred_product.json').referredProduct).toEqual({ catalogId: '354160437058781', productRetailerId: 'CAMISETA_AZUL' })
  })

  it('a message type this parser does not know is kept, with the whole item as raw content', () => {
    const m = theMessage('39_message_edit_unknown_type.json')
    expect(m.type).toBe('edit')
    expect(m.content).toMatchObject({ type: 'other', reason: 'unrecognised message type "edit"' })
    if (m.content.type !== 'other') throw new Error('expected other content')
    expect(m.content.raw).toMatchObject({ id: m.wamid, edit: { original_message_id: expect.any(String) } })
    expect(m.text).toBeNull()
  })
})

// ---------- statuses ----------

describe('statuses', () => {
  it('a sent status keeps PMP pricing and the conversation with its expiry', () => {
    const [s] = only(parse('22_status_sent.json'), 'status')
    expect(s!.pricing).toEqual({ billable: true, category: 'marketing', model: 'PMP', type: 'regular' })
    expect(s!.conversation).toEqual({ id: '8f3e1a2b9c4d5e6f7a8b9c0d1e2f3a4b', origin: 'marketing', expiresAt: at(1795566400) })
    expect(s!.bizOpaqueCallbackData).toBeNull()
  })

  it('delivered, read and played arrive as separate events for their wamids', () => {
    const statuses = only(parse('23_status_delivered_read_played.json'), 'status')
    expect(statuses.map((s) => [s.status, serial(s.wamid), unixString(s.timestamp)])).toEqual([
      ['delivered', '0000001E', '1795482000'],
      ['read', '0000001E', '1795482060'],
      ['played', '0000001F', '1795482120'],
    ])
    expect(statuses.map((s) => s.pricing)).toEqual([{ billable: true, category: 'utility', model: 'PMP', type: 'regular' }, null, null])
  })

  it('biz_opaque_callback_data and conversation-based pricing are passed through', () => {
    const [s] = only(parse('24_status_sent_biz_opaque_cbp.json'), 'status')
    expect(s).toMatchObject({
      status: 'sent',
      recipientId: '5511987654321',
      bizOpaqueCallbackData: 'campaign:7f3a;recipient:5521',
      pricing: { billable: false, category: 'service', model: 'CBP', type: null },
      conversation: { id: 'c0a8f1e2d3b4a5968778695a4b3c2d1e', origin: 'service', expiresAt: at(1795568600) },
    })
  })

  it('a failed status exposes code, title, message, details and href of each error', () => {
    const [s] = only(parse('25_status_failed_131047.json'), 'status')
    expect(s!.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ])
  })

  it('an error code sent as a string becomes a number, and every error is kept', () => {
    const [s] = only(parse('26_status_failed_string_code.json'), 'status')
    expect(s).toMatchObject({ phoneNumberId: NUMBER_B, status: 'failed', recipientId: '447700900123' })
    expect(s!.errors.map((e) => [e.code, e.details?.slice(0, 26) ?? null])).toEqual([
      [131026, 'Unable to deliver message.'],
      [131049, null],
    ])
  })

  it('deleted and unrecognised status strings are kept verbatim', () => {
    expect(only(parse('28_status_deleted_and_unrecognised.json'), 'status').map((s) => s.status)).toEqual(['deleted', 'held_for_quality_assessment'])
  })
})

// ---------- account-level fields ----------

describe('account-level fields', () => {
  it('template status updates give id (numeric ids as strings), name, language, event, reason and category', () => {
    expect(parse('31_template_status_update.json')).toEqual([
      { kind: 'template_status', wabaId: WABA, time: at(1795490000), templateId: '806312974732579', name: 'order_confirmation', language: 'pt_BR', event: 'APPROVED', reason: 'NONE', category: 'UTILITY' },
      { kind: 'template_status', wabaId: WABA, time: at(1795490000), templateId: '1274650928374651', name: 'black_friday_promo', language: 'en_US', event: 'REJECTED', reason: 'INVALID_FORMAT', category: null },
    ])
  })

  it('a template quality update gives the previous and new score', () => {
    expect(parse('32_template_quality_update.json')).toEqual([
      { kind: 'template_quality', wabaId: WABA, time: at(1795490000), templateId: '806312974732579', name: 'order_confirmation', language: 'pt_BR', previousScore: 'GREEN', newScore: 'YELLOW' },
    ])
  })

  it('a phone number quality update reads current_limit, or max_daily_conversations_per_business once it is retired', () => {
    expect(parse('33_phone_number_quality_update.json')).toEqual([
      { kind: 'phone_number_quality', wabaId: WABA, time: at(1795490000), displayPhoneNumber: '15550783881', event: 'FLAGGED', currentLimit: 'TIER_10K', oldLimit: null },
      { kind: 'phone_number_quality', wabaId: WABA, time: at(1795490000), displayPhoneNumber: '15550199042', event: 'UPGRADE', currentLimit: 'TIER_10K', oldLimit: 'TIER_1K' },
    ])
  })

  it('account updates keep the event, the phone number when given, and the whole value', () => {
    const [restriction, violation] = only(parse('34_account_update.json'), 'account_update')
    expect(restriction).toMatchObject({ event: 'ACCOUNT_RESTRICTION', phoneNumber: null, time: at(1795490000) })
    expect(restriction!.details.restriction_info).toEqual([{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1795576400 }])
    expect(violation).toMatchObject({ event: 'ACCOUNT_VIOLATION', phoneNumber: '15550783881', details: { violation_info: { violation_type: 'SCAM' } } })
  })

  it('change-level errors become value_error events beside the unreadable message they explain', () => {
    const events = parse('35_value_errors.json')
    expect(events.map((e) => e.kind)).toEqual(['message', 'value_error'])
    expect(events[1]).toEqual({
      kind: 'value_error',
      wabaId: WABA,
      phoneNumberId: NUMBER_A,
      displayPhoneNumber: '15550783881',
      error: { code: 131000, title: 'Something went wrong', message: 'Something went wrong', details: 'Unsupported webhook payload', href: null },
    })
    const m = only(events, 'message')[0]!
    expect(m).toMatchObject({ type: 'interactive', text: null, contextWamid: BUSINESS_WAMID })
    expect(m.content).toMatchObject({ type: 'other', reason: expect.stringMatching(/^unreadable interactive/) })
  })

  it('fields this parser does not handle become unknown events carrying field and value', () => {
    const events = only(parse('36_unknown_field.json'), 'unknown')
    expect(events.map((e) => [e.field, e.reason, e.wabaId])).toEqual([
      ['template_category_update', 'unhandled field "template_category_update"', WABA],
      ['security', 'unhandled field "security"', WABA],
    ])
    expect(events[0]!.raw).toMatchObject({ previous_category: 'UTILITY', new_category: 'MARKETING' })
  })
})

// ---------- batches and partial failure ----------

describe('batches', () => {
  it('one POST with several WABAs, numbers and fields yields every event routed to its own number', () => {
    const events = parse('37_multi_entry_multi_number.json')
    expect(
      events.map((e) => [e.kind, e.wabaId, 'phoneNumberId' in e ? e.phoneNumberId : null, 'wamid' in e ? serial(e.wamid) : null]),
    ).toEqual([
      ['message', WABA, NUMBER_A, '00000032'],
      ['status', WABA, NUMBER_B, '00000033'],
      ['message', '109283746501928', '110293847560192', '00000034'],
      ['message', '109283746501928', '110293847560192', '00000035'],
      ['status', '109283746501928', '110293847560192', '00000036'],
      ['template_status', '109283746501928', null, null],
    ])
    expect(only(events, 'message').map((m) => m.profileName)).toEqual(['Mariana Souza', 'Lucía Pérez', 'Sheena Nelson'])
  })

  it('bad items never hide the good ones, and each bad part is reported with its raw value', () => {
    const events = parse('40_partially_invalid_batch.json')
    const messages = only(events, 'message')
    expect(messages.map((m) => serial(m.wamid))).toEqual(['0000003C', '0000003D', '0000003E'])
    expect(messages[1]!.content).toMatchObject({ type: 'other', reason: expect.stringMatching(/^unreadable image: id/) })
    expect(only(events, 'status').map((s) => s.status)).toEqual(['read'])
    const unknown = only(events, 'unknown')
    expect(unknown.map((u) => u.reason.replace(/:.*/, ''))).toEqual([
      'invalid contact',
      'invalid message',
      'invalid message',
      'invalid status',
      'invalid status',
      'value.statuses is not an array',
      'messages change without usable metadata',
      'invalid change',
      'invalid entry',
    ])
    expect(unknown.map((u) => u.raw)).toEqual([
      'not-a-contact',
      expect.objectContaining({ text: { body: 'no id' } }),
      'garbage',
      expect.objectContaining({ timestamp: 'yesterday' }),
      null,
      { id: 'not-an-array' },
      expect.objectContaining({ messages: expect.any(Array) }),
      'not-a-change',
      { changes: [] },
    ])
    expect(unknown.slice(0, 6).every((u) => u.phoneNumberId !== null)).toBe(true)
  })

  it('a large batch is read in full', () => {
    const statuses = Array.from({ length: 5000 }, (_, i) => ({ id: `wamid.bulk${i}`, status: 'delivered', timestamp: String(1795480000 + i), recipient_id: '16505551234' }))
    const payload = { object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value: { metadata: { phone_number_id: NUMBER_A }, statuses } }] }] }
    const events = only(parseWebhook(payload), 'status')
    expect(events).toHaveLength(5000)
    expect(events[4999]).toMatchObject({ wamid: 'wamid.bulk4999', timestamp: at(1795484999) })
  })
})

// ---------- hostile input ----------

const minimal = (value: Record<string, unknown>) => ({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value }] }] })
const oneMessage = (message: Record<string, unknown>) => minimal({ metadata: { phone_number_id: NUMBER_A }, messages: [message] })

describe('input that is not a valid webhook', () => {
  it.each([null, undefined, 42, 'whatsapp_business_account', true, [], [{}], () => 1, BigInt(7), Symbol('x'), new Date(0)])(
    'returns one unknown event for %s',
    (input) => {
      const events = parseWebhook(input)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ kind: 'unknown', wabaId: null, field: null, reason: expect.stringMatching(/^not a WhatsApp Business Account webhook/) })
      expect((events[0] as { raw: unknown }).raw).toBe(input)
    },
  )

  it('rejects another Graph object type as a whole', () => {
    const payload = { ...(load('01_text.json') as object), object: 'page' }
    expect(parseWebhook(payload)).toEqual([expect.objectContaining({ kind: 'unknown', reason: expect.stringContaining('whatsapp_business_account'), raw: payload })])
  })

  it('reports an empty entry list and an entry without changes', () => {
    expect(parseWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual([expect.objectContaining({ kind: 'unknown', reason: 'webhook carried no entries' })])
    expect(parseWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [] }] })).toEqual([
      expect.objectContaining({ kind: 'unknown', wabaId: WABA, reason: 'entry carried no changes' }),
    ])
  })

  it('turns nulls at every level into unknown events', () => {
    const events = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [null, { id: null, changes: null }, { id: WABA, changes: [null, { field: null, value: null }, { field: 'messages', value: { metadata: null } }, { field: 'messages', value: { metadata: { phone_number_id: NUMBER_A }, messages: null, statuses: null } }] }],
    })
    expect(events.map((e) => e.kind)).toEqual(Array(6).fill('unknown'))
    expect(events.map((e) => (e.kind === 'unknown' ? e.reason.replace(/:.*/, '') : e.kind))).toEqual([
      'invalid entry',
      'invalid entry',
      'invalid change',
      'invalid change',
      'messages change without usable metadata',
      'messages change carried no messages, statuses or errors',
    ])
  })

  it('treats prototype names used as a message type as unrecognised types', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const [m] = parseWebhook(oneMessage({ from: '16505551234', id: 'wamid.x', timestamp: '1795480000', type }))
      expect(m).toMatchObject({ kind: 'message', type, content: { type: 'other', reason: `unrecognised message type "${type}"` } })
    }
  })

  it('accepts a numeric timestamp and rejects ones that are not whole unix seconds', () => {
    expect(parseWebhook(oneMessage({ id: 'wamid.n', timestamp: 1795480000, type: 'text', text: { body: 'x' } }))[0]).toMatchObject({ kind: 'message', timestamp: at(1795480000) })
    for (const timestamp of ['', '-1', '1e9', '1795480000.5', 'yesterday', 1.5, -1, 1e13, null, {}]) {
      const [e] = parseWebhook(oneMessage({ id: 'wamid.t', timestamp, type: 'text', text: { body: 'x' } }))
      expect(e).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/^invalid message: timestamp/) })
    }
  })

  it('a getter that throws costs only the item it is on', () => {
    const payload = load('27_batch_3msgs_2contacts.json') as { entry: { changes: { value: { messages: unknown[] } }[] }[] }
    const hostile = {}
    Object.defineProperty(hostile, 'id', { enumerable: true, get: () => { throw new Error('boom') } })
    payload.entry[0]!.changes[0]!.value.messages.splice(1, 0, hostile)
    const events = parseWebhook(payload)
    expect(events.map((e) => e.kind)).toEqual(['message', 'unknown', 'message', 'message'])
    const unknown = events[1] as Extract<WebhookEvent, { kind: 'unknown' }>
    expect(unknown.reason).toBe('message could not be read: boom')
    expect(unknown.raw).toBe(hostile)
  })

  it('a payload that throws on every access still yields an array', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap') }, getPrototypeOf: () => { throw new Error('trap') } })
    const events = parseWebhook(hostile)
    expect(events).toHaveLength(1)
    const unknown = events[0] as Extract<WebhookEvent, { kind: 'unknown' }>
    expect(unknown.kind).toBe('unknown')
    expect(unknown.reason).toMatch(/trap/)
    expect(unknown.raw).toBe(hostile)
  })
})

// ---------- status order ----------

describe('status order', () => {
  const fold = (sequence: string[]) => sequence.reduce<string | null>((current, next) => (isStatusUpgrade(current, next) ? next : current), null)
  const permutations = (items: string[]): string[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))

  it('ranks pending < sent < delivered < read, with played equal to read', () => {
    expect(statusRank('pending')).toBeLessThan(statusRank('sent'))
    expect(statusRank('sent')).toBeLessThan(statusRank('delivered'))
    expect(statusRank('delivered')).toBeLessThan(statusRank('read'))
    expect(statusRank('played')).toBe(statusRank('read'))
    expect(Object.keys(STATUS_RANK).sort()).toEqual(['deleted', 'delivered', 'failed', 'pending', 'played', 'read', 'sent'])
  })

  it('a late delivered never downgrades read', () => {
    expect(isStatusUpgrade('read', 'delivered')).toBe(false)
    expect(fold(['sent', 'read', 'delivered'])).toBe('read')
  })

  it('read may skip delivered entirely', () => {
    expect(isStatusUpgrade('sent', 'read')).toBe(true)
  })

  it('failed overrides pending and sent, but never delivered or read', () => {
    expect(isStatusUpgrade('pending', 'failed')).toBe(true)
    expect(isStatusUpgrade('sent', 'failed')).toBe(true)
    expect(isStatusUpgrade('delivered', 'failed')).toBe(false)
    expect(isStatusUpgrade('read', 'failed')).toBe(false)
    expect(isStatusUpgrade('played', 'failed')).toBe(false)
  })

  it('sent cannot revive a failed message, but delivery proof after failed wins', () => {
    expect(isStatusUpgrade('failed', 'sent')).toBe(false)
    expect(isStatusUpgrade('failed', 'delivered')).toBe(true)
    expect(isStatusUpgrade('failed', 'read')).toBe(true)
  })

  it('the final state does not depend on arrival order', () => {
    for (const order of permutations(['sent', 'delivered', 'read', 'failed'])) expect(fold(order)).toBe('read')
    for (const order of permutations(['sent', 'failed'])) expect(fold(order)).toBe('failed')
    for (const order of permutations(['sent', 'delivered', 'failed'])) expect(fold(order)).toBe('delivered')
  })

  it('unknown status strings never change the stored state', () => {
    expect(statusRank('held_for_quality_assessment')).toBe(-1)
    expect(statusRank('__proto__')).toBe(-1)
    expect(statusRank('toString')).toBe(-1)
    expect(statusRank(null)).toBe(-1)
    expect(isStatusUpgrade('sent', 'held_for_quality_assessment')).toBe(false)
    expect(isStatusUpgrade(null, 'warning')).toBe(false)
    expect(isStatusUpgrade(null, 'sent')).toBe(true)
    expect(isStatusUpgrade('something_new', 'sent')).toBe(true)
  })

  it('deleted is terminal', () => {
    expect(['sent', 'delivered', 'read', 'played', 'failed'].some((s) => isStatusUpgrade('deleted', s))).toBe(false)
    expect(isStatusUpgrade('read', 'deleted')).toBe(true)
  })
})

// ---------- fuzz: thousands of seeded random mutations of every fixture ----------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Node = Record<PropertyKey, unknown> | unknown[]
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null
const HUGE = 'x'.repeat(1_000_000)
const NASTY = [
  '', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'NaN', '-1', '1e21', '99999999999999999999', '{"a":1}',
  '\u0000\u202e', '😀'.repeat(40), 'text', 'image', 'audio', 'interactive', 'reaction', 'unsupported', 'unknown', 'system',
  'button_reply', 'nfm_reply', 'messages', 'statuses', 'failed', 'read', 'message_template_status_update',
  'phone_number_quality_update', 'account_update', 'message_template_quality_update', 'whatsapp_business_account',
]
// Built anew each time: the mutator may change what it is given, and a shared one would carry one
// test's mutations into the next, making each result depend on the order the tests run in.
const deep = () => {
  let v: unknown = 'bottom'
  for (let i = 0; i < 20_000; i++) v = i % 2 ? [v] : { a: v }
  return v
}
const CONTENT_TYPES: MessageContentType[] = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction',
  'order', 'system', 'unsupported', 'other',
]

function fuzzer(seed: number) {
  const rnd = mulberry32(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T,>(list: readonly T[]): T => list[int(list.length)]!

  // Only data properties are walked, so a planted throwing getter never fires inside the test itself.
  const dataKeys = (node: Node) =>
    Reflect.ownKeys(node).filter((k) => k !== 'length' && 'value' in (Object.getOwnPropertyDescriptor(node, k) ?? {}))
  const children = (node: Node) => dataKeys(node).map((k) => (node as Record<PropertyKey, unknown>)[k]).filter(isNode)

  function randomNode(root: Node): Node {
    let node = root
    for (let depth = 0; depth < 12 && rnd() > 0.2; depth++) {
      const next = children(node)
      if (next.length === 0) break
      node = pick(next)
    }
    return node
  }

  function randomValue(root: Node): unknown {
    switch (int(14)) {
      case 0: return null
      case 1: return undefined
      case 2: return pick([0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, 1795480000, 1e300])
      case 3: return rnd() < 0.5
      case 4: return pick(NASTY)
      case 5: return HUGE
      case 6: return []
      case 7: return {}
      case 8: return deep()
      case 9: return Object.create(null)
      case 10: return root
      case 11: {
        const trap = {}
        Object.defineProperty(trap, pick(['id', 'type', 'field', 'value', 'metadata', 'body']), { enumerable: true, get: () => { throw new Error('getter') } })
        return trap
      }
      case 12: return pick([Symbol('s'), BigInt(10), () => 1, new Date(NaN)])
      default: return [pick(NASTY), int(1000), null]
    }
  }

  function mutate(root: Node): void {
    const node = randomNode(root)
    const keys = dataKeys(node)
    const key = keys.length ? pick(keys) : pick(NASTY)
    const target = node as Record<PropertyKey, unknown>
    // Own data properties only, as JSON.parse makes them: reading or assigning an inherited "__proto__"
    // would hand Object.prototype to the mutator and pollute every later run.
    const own = (k: PropertyKey) => (Object.hasOwn(node, k) ? target[k] : undefined)
    const set = (k: PropertyKey, value: unknown) => Object.defineProperty(node, k, { value, writable: true, enumerable: true, configurable: true })
    switch (int(8)) {
      case 0: // delete a key or an array item
        // (splice builds its result through `constructor`, which an earlier mutation may have replaced)
        if (Array.isArray(node) && typeof key === 'string' && /^\d+$/.test(key) && !Object.hasOwn(node, 'constructor')) node.splice(Number(key), 1)
        else delete target[key]
        return
      case 1: // replace a value with anything
      case 2:
        set(key, randomValue(root))
        return
      case 3: // shuffle an array
        if (Array.isArray(node)) for (let i = node.length - 1; i > 0; i--) { const j = int(i + 1); [node[i], node[j]] = [node[j], node[i]] }
        return
      case 4: // duplicate entries
        if (Array.isArray(node) && node.length) node.push(...Array.from({ length: 1 + int(3) }, () => pick(node)))
        return
      case 5: // rename a key
        set(pick(NASTY), own(key))
        delete target[key]
        return
      case 6: // wrap a value in an array, or unwrap an array
        set(key, Array.isArray(own(key)) ? (own(key) as unknown[])[0] : [own(key)])
        return
      default: // move a value from elsewhere in the payload (type confusion across fields)
        set(key, pick(children(randomNode(root)).concat([root])))
    }
  }

  return { rnd, int, mutate, randomValue }
}

function problemsIn(events: unknown): string[] {
  if (!Array.isArray(events)) return ['result is not an array']
  const problems: string[] = []
  for (const e of events as WebhookEvent[]) {
    if (!(WEBHOOK_EVENT_KINDS as readonly string[]).includes(e?.kind)) problems.push(`unknown kind ${String(e?.kind)}`)
    else if (e.kind === 'message') {
      if (typeof e.wamid !== 'string' || !e.wamid) problems.push('message without wamid')
      if (!(e.timestamp instanceof Date) || Number.isNaN(e.timestamp.getTime())) problems.push('message with an invalid date')
      if (!CONTENT_TYPES.includes(e.content.type)) problems.push(`message content type ${e.content.type}`)
      const preview = messagePreview(e.type, e.text, e.content)
      if (!preview || preview.length > 120) problems.push(`bad preview ${JSON.stringify(preview.slice(0, 40))}`)
    } else if (e.kind === 'status') {
      if (typeof e.wamid !== 'string' || !e.wamid || Number.isNaN(e.timestamp.getTime()) || !Array.isArray(e.errors)) problems.push('malformed status')
    } else if (e.kind === 'unknown' && (typeof e.reason !== 'string' || !e.reason)) problems.push('unknown event without reason')
  }
  return problems
}

describe('parseWebhook under random mutation', () => {
  const RUNS = 300

  it.each(FIXTURES.map((name, i) => [name, 1000 + i] as const))('%s: never throws and only yields known kinds (seed %i)', (name, seed) => {
    const source = text(name)
    const { rnd, int, mutate, randomValue } = fuzzer(seed)
    const failures: string[] = []
    for (let run = 0; run < RUNS; run++) {
      let payload: unknown = JSON.parse(source)
      if (rnd() < 0.02) payload = randomValue(payload as Node)
      else for (let m = 1 + int(6); m > 0; m--) mutate(payload as Node)
      let problems: string[]
      try {
        problems = problemsIn(parseWebhook(payload))
      } catch (error) {
        problems = [`threw ${error instanceof Error ? error.message : String(error)}`]
      }
      if (problems.length) failures.push(`seed ${seed} run ${run}: ${problems.join(', ')}`)
    }
    expect(failures.slice(0, 5)).toEqual([])
    expect(Object.keys(Object.prototype)).toEqual([])
  }, 60_000)

  it('the unmutated fixtures parse without a single unknown event, except the ones meant to have them', () => {
    const withUnknown = FIXTURES.filter((name) => parseWebhook(load(name)).some((e) => e.kind === 'unknown'))
    expect(withUnknown).toEqual(['36_unknown_field.json', '40_partially_invalid_batch.json'])
  })
})

describe('fixtures', () => {
  it('every fixture file has specific assertions above, not only the fuzz run', () => {
    // Read from this file's source rather than noted as tests run, so it holds whatever order they run in.
    const source = readFileSync(import.meta.filename, 'utf8')
    expect(FIXTURES.length).toBeGreaterThanOrEqual(41)
    expect(FIXTURES.filter((name) => !source.includes(`'${name}'`) && !(name in EXPECTED))).toEqual([])
  })
})
