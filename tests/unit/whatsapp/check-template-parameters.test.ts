import { describe, expect, it } from 'vitest'
import { checkTemplateParameters, countPlaceholders, templateDefinitionSchema } from '@/core/whatsapp/check-template-parameters'
import { outboundMessageSchema, type TemplateMessage } from '@/core/whatsapp/outbound-message'
import messages from './fixtures/outbound-messages.json'
import templates from './fixtures/templates.json'

const definition = (name: keyof typeof templates) => templateDefinitionSchema.parse(templates[name])

function templateMessage(name: string, language: string, components: unknown[]): TemplateMessage {
  const parsed = outboundMessageSchema.parse({
    to: '16505551234',
    type: 'template',
    template: { name, language: { code: language }, components },
  })
  if (parsed.type !== 'template') throw new Error('not a template message')
  return parsed
}

const text = (value: string, parameter_name?: string) => ({
  type: 'text',
  text: value,
  ...(parameter_name ? { parameter_name } : {}),
})
const image = { type: 'image', image: { link: 'https://cdn.example.com/box.jpg' } }
const orderHeader = { type: 'header', parameters: [image] }
const orderBody = { type: 'body', parameters: [text('Ana'), text('$10.00'), text('March 3')] }
const trackButton = { type: 'button', sub_type: 'url', index: '0', parameters: [text('1042')] }
const couponButton = {
  type: 'button',
  sub_type: 'copy_code',
  index: 2,
  parameters: [{ type: 'coupon_code', coupon_code: 'SPRING25' }],
}
const order = (...components: unknown[]) => templateMessage('order_update', 'en_US', components)

describe('countPlaceholders', () => {
  it('counts distinct numbered and named placeholders', () => {
    expect(countPlaceholders('Hi {{1}}, your order {{2}} ships {{3}}. Thanks {{1}}')).toBe(3)
    expect(countPlaceholders('{{first_name}}, use {{ coupon }}')).toBe(2)
    expect(countPlaceholders('No variables, not even {single} braces')).toBe(0)
  })
})

describe('template parameter check', () => {
  it('finds nothing wrong with a message that fills every slot', () => {
    const sent = outboundMessageSchema.parse(messages.template.maximal)
    if (sent.type !== 'template') throw new Error('fixture is not a template')
    expect(checkTemplateParameters(definition('order_update'), sent)).toEqual([])
  })

  it('accepts the bare components array that the templates table stores', () => {
    const sent = order(orderHeader, orderBody, trackButton, couponButton)
    expect(checkTemplateParameters(templates.order_update.components, sent)).toEqual([])
  })

  it('accepts a template without variables sent without components', () => {
    expect(checkTemplateParameters(definition('hello_world'), templateMessage('hello_world', 'en_US', []))).toEqual([])
  })

  it('reports too few body parameters at the body', () => {
    const sent = order(orderHeader, { type: 'body', parameters: [text('Ana'), text('$10.00')] }, trackButton, couponButton)
    expect(checkTemplateParameters(definition('order_update'), sent)).toEqual([
      { path: 'template.components.1.parameters', message: "the template's body needs exactly 3 parameters, got 2" },
    ])
  })

  it('reports too many body parameters at the body', () => {
    const body = { type: 'body', parameters: [...orderBody.parameters, text('extra')] }
    const problems = checkTemplateParameters(definition('order_update'), order(orderHeader, body, trackButton, couponButton))
    expect(problems).toEqual([
      { path: 'template.components.1.parameters', message: "the template's body needs exactly 3 parameters, got 4" },
    ])
  })

  it('reports a missing body component when the body has variables', () => {
    const problems = checkTemplateParameters(definition('order_update'), order(orderHeader, trackButton, couponButton))
    expect(problems).toEqual([{ path: 'template.components', message: 'needs a body component with 3 parameters' }])
  })

  it('reports parameters sent to a body that has none', () => {
    const sent = templateMessage('hello_world', 'en_US', [{ type: 'body', parameters: [text('Ana')] }])
    expect(checkTemplateParameters(definition('hello_world'), sent)).toEqual([
      { path: 'template.components.0.parameters', message: "the template's body needs exactly 0 parameters, got 1" },
    ])
  })

  it('reports a video sent for an image header at the parameter type', () => {
    const header = { type: 'header', parameters: [{ type: 'video', video: { id: '1' } }] }
    expect(checkTemplateParameters(definition('order_update'), order(header, orderBody, trackButton, couponButton))).toEqual([
      { path: 'template.components.0.parameters.0.type', message: 'must be "image" for this IMAGE header' },
    ])
  })

  it('reports a missing image for an image header', () => {
    expect(checkTemplateParameters(definition('order_update'), order(orderBody, trackButton, couponButton))).toEqual([
      { path: 'template.components', message: 'needs a header image parameter' },
    ])
  })

  it('reports media sent to a text header', () => {
    const named = templateMessage('welcome_named', 'pt_BR', [
      { type: 'header', parameters: [image] },
      { type: 'body', parameters: [text('Ana', 'first_name'), text('BEMVINDO', 'coupon'), text('31/03', 'valid_until')] },
    ])
    const problems = checkTemplateParameters(definition('welcome_named'), named)
    expect(problems.map((p) => p.path)).toContain('template.components.0.parameters.0.type')
  })

  it('reports a URL button variable that is missing', () => {
    expect(checkTemplateParameters(definition('order_update'), order(orderHeader, orderBody, couponButton))).toEqual([
      { path: 'template.components', message: "needs a url button component with index 0 for the template's URL button" },
    ])
  })

  it('reports a URL parameter sent at the position of the quick-reply button', () => {
    const wrong = { ...trackButton, index: '1' }
    const problems = checkTemplateParameters(definition('order_update'), order(orderHeader, orderBody, wrong, couponButton))
    expect(problems).toEqual([
      {
        path: 'template.components.2.sub_type',
        message: `must be "quick_reply" for the template's QUICK_REPLY button at position 1`,
      },
      { path: 'template.components', message: "needs a url button component with index 0 for the template's URL button" },
    ])
  })

  it('reports a parameter for a button whose URL is fixed, and one for a phone-number button', () => {
    const sent = templateMessage('welcome_named', 'pt_BR', [
      { type: 'header', parameters: [text('Ana', 'first_name')] },
      { type: 'body', parameters: [text('Ana', 'first_name'), text('BEMVINDO', 'coupon'), text('31/03', 'valid_until')] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [text('x')] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [text('y')] },
    ])
    expect(checkTemplateParameters(definition('welcome_named'), sent)).toEqual([
      { path: 'template.components.2', message: 'button 0 has a fixed URL; remove this parameter' },
      { path: 'template.components.3', message: 'button 1 (PHONE_NUMBER) takes no parameters' },
    ])
  })

  it('reports a button position the template does not have and a position given twice', () => {
    const sent = order(orderHeader, orderBody, trackButton, trackButton, couponButton, { ...trackButton, index: '7' })
    expect(checkTemplateParameters(definition('order_update'), sent)).toEqual([
      { path: 'template.components.3.index', message: 'button 0 is given more than once' },
      { path: 'template.components.5.index', message: 'the template has no button at position 7' },
    ])
  })

  it('requires the coupon code of a copy-code button', () => {
    expect(checkTemplateParameters(definition('order_update'), order(orderHeader, orderBody, trackButton))).toEqual([
      {
        path: 'template.components',
        message: "needs a copy_code button component with index 2 for the template's COPY_CODE button",
      },
    ])
  })

  it('requires the one-time password as a url button of an authentication template', () => {
    const body = { type: 'body', parameters: [text('482913')] }
    const otp = { type: 'button', sub_type: 'url', index: '0', parameters: [text('482913')] }
    expect(checkTemplateParameters(definition('login_code'), templateMessage('login_code', 'en', [body, otp]))).toEqual([])
    expect(checkTemplateParameters(definition('login_code'), templateMessage('login_code', 'en', [body]))).toEqual([
      { path: 'template.components', message: "needs a url button component with index 0 for the template's OTP button" },
    ])
  })

  it('matches named parameters by name, whatever their order', () => {
    const sent = templateMessage('welcome_named', 'pt_BR', [
      { type: 'header', parameters: [text('Ana', 'first_name')] },
      { type: 'body', parameters: [text('31/03', 'valid_until'), text('Ana', 'first_name'), text('BEMVINDO', 'coupon')] },
    ])
    expect(checkTemplateParameters(definition('welcome_named'), sent)).toEqual([])
  })

  it('reports a named parameter that is missing, unknown or unnamed', () => {
    const sent = templateMessage('welcome_named', 'pt_BR', [
      { type: 'header', parameters: [text('Ana', 'first_name')] },
      { type: 'body', parameters: [text('Ana', 'first_name'), text('X', 'discount'), text('31/03')] },
    ])
    expect(checkTemplateParameters(definition('welcome_named'), sent)).toEqual([
      {
        path: 'template.components.1.parameters.1.parameter_name',
        message: `"discount" is not a parameter of the template's body`,
      },
      { path: 'template.components.1.parameters.2.parameter_name', message: 'is required: this template uses named parameters' },
      { path: 'template.components.1.parameters', message: `the template's body needs a parameter named "coupon"` },
      { path: 'template.components.1.parameters', message: `the template's body needs a parameter named "valid_until"` },
    ])
  })

  it('tells named templates apart by their placeholders when parameter_format is not stored', () => {
    const withoutFormat: Record<string, unknown> = structuredClone(templates.welcome_named)
    delete withoutFormat.parameter_format
    const sent = templateMessage('welcome_named', 'pt_BR', [
      { type: 'header', parameters: [text('Ana')] },
      { type: 'body', parameters: [text('Ana'), text('BEMVINDO'), text('31/03')] },
    ])
    expect(checkTemplateParameters(templateDefinitionSchema.parse(withoutFormat), sent).map((p) => p.message)).toContain(
      'is required: this template uses named parameters',
    )
  })

  it('rejects parameter names on a numbered template', () => {
    const body = { type: 'body', parameters: [text('Ana', 'name'), text('$10.00'), text('March 3')] }
    expect(checkTemplateParameters(definition('order_update'), order(orderHeader, body, trackButton, couponButton))).toEqual([
      {
        path: 'template.components.1.parameters.0.parameter_name',
        message: 'must not be set: this template uses numbered parameters',
      },
    ])
  })

  it('reports a second body component', () => {
    const problems = checkTemplateParameters(
      definition('order_update'),
      order(orderHeader, orderBody, orderBody, trackButton, couponButton),
    )
    expect(problems).toEqual([{ path: 'template.components.2', message: 'only one body component is allowed' }])
  })

  it('reports a name or language that differs from the definition', () => {
    const sent = templateMessage('order_updates', 'pt_BR', [orderHeader, orderBody, trackButton, couponButton])
    expect(checkTemplateParameters(definition('order_update'), sent).map((p) => p.path)).toEqual([
      'template.name',
      'template.language.code',
    ])
  })
})
