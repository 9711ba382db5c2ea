// The inputs an approved template needs and the message that fills them, keyed the same way everywhere
// ("header.media", "header.<placeholder>", "body.<placeholder>", "button.<index>"): the inbox's template
// picker asks an agent for them, a campaign takes them from each contact.

/** A component of an approved template, as far as filling it goes. */
export interface TemplateComponent {
  type: string
  format?: string
  text?: string
  buttons?: { type: string; text?: string; url?: string }[]
}
type Components = TemplateComponent[]

export interface TemplateInput {
  key: string
  label: string
  placeholder?: string
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g
const MEDIA_HEADERS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT'])

/** Distinct placeholder keys in order of first use, as Meta counts them. */
export function placeholdersOf(text: string | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!))]
}

export function templateParts(components: Components) {
  const find = (type: string) => components.find((c) => c.type.toUpperCase() === type)
  const header = find('HEADER')
  const format = (header?.format ?? 'TEXT').toUpperCase()
  const buttons = (find('BUTTONS')?.buttons ?? []).map((b, index) => ({ ...b, index, type: b.type.toUpperCase() }))
  return { header, format, body: find('BODY'), footer: find('FOOTER'), buttons }
}

export function templateInputs(components: Components): TemplateInput[] {
  const { header, format, body, buttons } = templateParts(components)
  return [
    ...(MEDIA_HEADERS.has(format) ? [{ key: 'header.media', label: `Header ${format.toLowerCase()} (https link)`, placeholder: 'https://…' }] : []),
    ...(format === 'TEXT' ? placeholdersOf(header?.text).map((p) => ({ key: `header.${p}`, label: `Header {{${p}}}` })) : []),
    ...placeholdersOf(body?.text).map((p) => ({ key: `body.${p}`, label: `Body {{${p}}}` })),
    ...buttons.flatMap((b) =>
      (b.type === 'URL' && placeholdersOf(b.url).length > 0) || b.type === 'OTP'
        ? [{ key: `button.${b.index}`, label: `“${b.text ?? 'Link'}” URL ending`, placeholder: b.url }]
        : b.type === 'COPY_CODE'
          ? [{ key: `button.${b.index}`, label: 'Coupon code' }]
          : [],
    ),
  ]
}

/** A media header's value is an https link or the id of media already uploaded to Meta. */
const mediaObject = (value: string) => (/^https?:\/\//i.test(value) ? { link: value } : { id: value })

export function buildTemplateMessage(template: { name: string; language: string; components: Components }, values: Record<string, string>) {
  const { header, format, body, buttons } = templateParts(template.components)
  const named = [header?.text, body?.text].some((t) => placeholdersOf(t).some((p) => !/^\d+$/.test(p)))
  const textParameters = (scope: string, text: string | undefined) =>
    placeholdersOf(text).map((p) => ({ type: 'text', text: values[`${scope}.${p}`]?.trim() ?? '', ...(named ? { parameter_name: p } : {}) }))
  const components: Record<string, unknown>[] = []
  if (MEDIA_HEADERS.has(format)) components.push({ type: 'header', parameters: [{ type: format.toLowerCase(), [format.toLowerCase()]: mediaObject(values['header.media']?.trim() ?? '') }] })
  else if (format === 'TEXT' && placeholdersOf(header?.text).length) components.push({ type: 'header', parameters: textParameters('header', header?.text) })
  if (placeholdersOf(body?.text).length) components.push({ type: 'body', parameters: textParameters('body', body?.text) })
  for (const b of buttons) {
    const value = values[`button.${b.index}`]?.trim() ?? ''
    if ((b.type === 'URL' && placeholdersOf(b.url).length) || b.type === 'OTP')
      components.push({ type: 'button', sub_type: 'url', index: String(b.index), parameters: [{ type: 'text', text: value }] })
    if (b.type === 'COPY_CODE') components.push({ type: 'button', sub_type: 'copy_code', index: String(b.index), parameters: [{ type: 'coupon_code', coupon_code: value }] })
  }
  return { type: 'template' as const, template: { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) } }
}
