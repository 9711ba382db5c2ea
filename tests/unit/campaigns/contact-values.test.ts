import { describe, expect, it } from 'vitest'
import { renderForContact, unmappedInputs, type CampaignContact, type CampaignTemplate } from '@/core/campaigns/contact-values'
import { estimateDuration } from '@/core/campaigns/estimate-duration'
import { checkTemplateParameters } from '@/core/whatsapp/check-template-parameters'

const template: CampaignTemplate = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships {{3}}.' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/{{1}}' }] },
  ],
}
const contact: CampaignContact = { id: 'c1', waId: '5511987654321', name: '  Ana Souza ', profileName: 'ana', email: null, customFields: { order: '#1042', tier: 3 } }

describe('renderForContact', () => {
  const mapping = {
    'header.media': { kind: 'constant', value: 'https://cdn.example/autumn.jpg' },
    'body.1': { kind: 'contact', field: 'first_name' },
    'body.2': { kind: 'custom', key: 'order' },
    'body.3': { kind: 'custom', key: 'eta', fallback: 'soon' },
    'button.0': { kind: 'custom', key: 'tier' },
  } as const

  it('fills each input from its source, with the fallback when the contact has no value, into a message Meta accepts', () => {
    const r = renderForContact(template, mapping, contact)
    expect(r.missing).toEqual([])
    expect(r.values).toEqual({ 'header.media': 'https://cdn.example/autumn.jpg', 'body.1': 'Ana', 'body.2': '#1042', 'body.3': 'soon', 'button.0': '3' })
    expect(checkTemplateParameters(template.components as never, r.message as never)).toEqual([])
    expect(r.message.template.components?.[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/autumn.jpg' } }] })
  })

  it('reports inputs a contact has no value for, and inputs with no source', () => {
    const r = renderForContact(template, { ...mapping, 'body.2': { kind: 'custom', key: 'missing' } }, contact)
    expect(r.missing).toEqual(['body.2'])
    expect(unmappedInputs(template, { 'body.1': mapping['body.1'] })).toEqual(['header.media', 'body.2', 'body.3', 'button.0'])
  })

  it('uses the WhatsApp profile name when the contact has no name of its own, and the number as +E.164', () => {
    const r = renderForContact(
      template,
      { ...mapping, 'body.1': { kind: 'contact', field: 'name' }, 'body.2': { kind: 'contact', field: 'wa_id' } },
      { ...contact, name: null },
    )
    expect(r.values['body.1']).toBe('ana')
    expect(r.values['body.2']).toBe('+5511987654321')
  })
})

describe('estimateDuration', () => {
  it('paces at the MPS and spreads over days when the messaging limit is smaller than the audience', () => {
    expect(estimateDuration({ recipients: 50_000, mps: 1000, messagingLimit: null, remainingToday: null })).toEqual({ seconds: 50, days: 1 })
    expect(estimateDuration({ recipients: 5_000, mps: 80, messagingLimit: 2_000, remainingToday: 500 })).toEqual({ seconds: 63, days: 4 })
  })
})
