// The checks Meta makes on a template send before accepting it, all answered synchronously: the template
// exists and is approved in that language (132001, 132015 paused, 132016 disabled) and the parameters
// fit it (132000 count, 132012 header format, 131008 missing URL-button variable).
import { z } from 'zod'
import type { EmulatorState, RegisteredNumber, Template } from './emulator-state'
import { whatsappError } from './meta-errors'
import { placeholders, templatesOf } from './templates'

const sendParamsSchema = z.looseObject({
  name: z.string(),
  language: z.looseObject({ code: z.string() }),
  components: z
    .array(
      z.looseObject({
        type: z.string(),
        sub_type: z.string().optional(),
        index: z.union([z.string(), z.number()]).optional(),
        parameters: z.array(z.looseObject({ type: z.string() })).optional(),
      }),
    )
    .optional(),
})

// Returns the template, whose category prices the message.
export function checkTemplateSend(state: EmulatorState, number: RegisteredNumber, input: unknown): Template {
  const parsed = sendParamsSchema.safeParse(input)
  if (!parsed.success) throw whatsappError(131008, "The parameter template['name'] is required.")
  const { name, language, components = [] } = parsed.data
  const template = templatesOf(state, number.wabaId).find((t) => t.name === name && t.language === language.code)
  if (!template || !['APPROVED', 'PAUSED', 'DISABLED'].includes(template.status))
    throw whatsappError(132001, `template name (${name}) does not exist in ${language.code}`)
  if (template.status === 'PAUSED') throw whatsappError(132015)
  if (template.status === 'DISABLED') throw whatsappError(132016)

  const sent = (type: string) => components.find((c) => c.type.toLowerCase() === type)
  const header = template.components.find((c) => c.type === 'HEADER')
  if (header) {
    const format = String(header.format)
    const params = sent('header')?.parameters ?? []
    if (format === 'TEXT') {
      const expected = placeholders(header.text).size
      if (params.length !== expected)
        throw whatsappError(132000, `header: number of localizable_params (${params.length}) does not match the expected number of params (${expected})`)
    } else if (params[0]?.type.toUpperCase() !== format)
      throw whatsappError(132012, `header: Format mismatch, expected ${format}, received ${params[0]?.type.toUpperCase() ?? 'UNKNOWN'}`)
  }
  const expectedBody = placeholders(template.components.find((c) => c.type === 'BODY')?.text).size
  const bodyParams = sent('body')?.parameters?.length ?? 0
  if (bodyParams !== expectedBody)
    throw whatsappError(132000, `body: number of localizable_params (${bodyParams}) does not match the expected number of params (${expectedBody})`)
  const buttons = (template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? []) as Record<string, unknown>[]
  buttons.forEach((button, index) => {
    if (button.type !== 'URL' || !placeholders(button.url).size) return
    const given = components.find((c) => c.type.toLowerCase() === 'button' && String(c.index) === String(index))
    if (!given?.parameters?.length) throw whatsappError(131008, `buttons: Button at index ${index} of type Url requires a parameter`)
  })
  return template
}
