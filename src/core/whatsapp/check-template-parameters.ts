// Compares an outbound template message with the template Meta approved, so parameter mistakes (Meta's 132000 / 132012)
// are caught before a send is queued; every problem carries the message path the UI should highlight.
import { z } from 'zod'
import type { TemplateMessage } from './outbound-message'
import { placeholdersOf } from './template-inputs'

// The template as Meta's templates API returns it; loose, because Meta adds fields (example, rejected_reason, …) we keep.
export const templateDefinitionSchema = z.looseObject({
  name: z.string().optional(),
  language: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(
    z.looseObject({
      type: z.string(),
      format: z.string().optional(),
      text: z.string().optional(),
      buttons: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), url: z.string().optional() })).optional(),
    }),
  ),
})
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>
export type TemplateProblem = { path: string; message: string }

type SentComponent = NonNullable<TemplateMessage['template']['components']>[number]
type SentParameter = SentComponent['parameters'][number]


export function countPlaceholders(text: string): number {
  return placeholdersOf(text).length
}

// Which sub_type the send must use for each kind of template button; the rest take no parameters.
const BUTTON_SUB_TYPE: Record<string, 'quick_reply' | 'url' | 'copy_code'> = {
  QUICK_REPLY: 'quick_reply',
  URL: 'url',
  // One-time-password buttons receive the code as a url parameter.
  OTP: 'url',
  COPY_CODE: 'copy_code',
}
const MEDIA_FORMATS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'])

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

// `definition` is the stored template, or just its `components` array (what the templates table keeps).
export function checkTemplateParameters(
  definition: TemplateDefinition | TemplateDefinition['components'],
  message: Pick<TemplateMessage, 'template'>,
): TemplateProblem[] {
  const approved: TemplateDefinition = Array.isArray(definition) ? { components: definition } : definition
  const problems: TemplateProblem[] = []
  const add = (path: (string | number)[], text: string) => problems.push({ path: ['template', ...path].join('.'), message: text })
  const sent = message.template
  const sentComponents = (sent.components ?? []).map((component, index) => ({ component, index }))
  const defined = (type: string) => approved.components.find((c) => c.type.toUpperCase() === type)

  if (approved.name !== undefined && approved.name !== sent.name) add(['name'], `must be "${approved.name}"`)
  if (approved.language !== undefined && approved.language !== sent.language.code) {
    add(['language', 'code'], `must be "${approved.language}"; this definition is for that language`)
  }

  const header = defined('HEADER')
  const body = defined('BODY')
  const named =
    approved.parameter_format !== undefined
      ? approved.parameter_format.toUpperCase() === 'NAMED'
      : [header?.text, body?.text].some((t) => placeholdersOf(t).some((p) => !/^[0-9]+$/.test(p)))

  // Text slots (body, text header): the count must match, and named templates match by parameter_name.
  const checkSlots = (what: string, text: string | undefined, found: { component: SentComponent; index: number } | undefined) => {
    const expected = placeholdersOf(text)
    const parameters: SentParameter[] = found?.component.parameters ?? []
    const at = found ? ['components', found.index, 'parameters'] : ['components']
    if (!found) {
      if (expected.length > 0) add(at, `needs a ${what} component with ${plural(expected.length, 'parameter')}`)
      return
    }
    if (!named) {
      if (parameters.length !== expected.length) {
        add(at, `the template's ${what} needs exactly ${plural(expected.length, 'parameter')}, got ${parameters.length}`)
      }
      parameters.forEach((p, i) => {
        if ('parameter_name' in p && p.parameter_name !== undefined) {
          add([...at, i, 'parameter_name'], 'must not be set: this template uses numbered parameters')
        }
      })
      return
    }
    const names = new Set<string>()
    parameters.forEach((p, i) => {
      const name = 'parameter_name' in p ? p.parameter_name : undefined
      if (name === undefined) return add([...at, i, 'parameter_name'], 'is required: this template uses named parameters')
      if (names.has(name)) return add([...at, i, 'parameter_name'], `"${name}" is given more than once`)
      names.add(name)
      if (!expected.includes(name)) add([...at, i, 'parameter_name'], `"${name}" is not a parameter of the template's ${what}`)
    })
    for (const name of expected) if (!names.has(name)) add(at, `the template's ${what} needs a parameter named "${name}"`)
  }

  const only = (type: 'header' | 'body') => {
    const all = sentComponents.filter((c) => c.component.type === type)
    all.slice(1).forEach((c) => add(['components', c.index], `only one ${type} component is allowed`))
    return all[0]
  }

  const sentHeader = only('header')
  const format = (header?.format ?? 'TEXT').toUpperCase()
  if (!header) {
    if (sentHeader && sentHeader.component.parameters.length > 0)
      add(['components', sentHeader.index], 'the template has no header')
  } else if (MEDIA_FORMATS.has(format)) {
    // Media headers always need their media at send time; the example given at approval is not reused.
    const kind = format.toLowerCase()
    const parameter = sentHeader?.component.parameters[0]
    if (!sentHeader || !parameter)
      add(sentHeader ? ['components', sentHeader.index, 'parameters'] : ['components'], `needs a header ${kind} parameter`)
    else if (parameter.type !== kind)
      add(['components', sentHeader.index, 'parameters', 0, 'type'], `must be "${kind}" for this ${format} header`)
  } else {
    sentHeader?.component.parameters.forEach((p, i) => {
      if (p.type !== 'text') add(['components', sentHeader.index, 'parameters', i, 'type'], 'must be "text" for this TEXT header')
    })
    checkSlots('header', header.text, sentHeader)
  }

  checkSlots('body', body?.text, only('body'))

  const buttons = defined('BUTTONS')?.buttons ?? []
  const answered = new Set<number>()
  for (const { component, index } of sentComponents) {
    if (component.type !== 'button') continue
    const position = Number(component.index)
    if (answered.has(position)) {
      add(['components', index, 'index'], `button ${position} is given more than once`)
      continue
    }
    answered.add(position)
    const button = buttons[position]
    if (!button) {
      add(['components', index, 'index'], `the template has no button at position ${position}`)
      continue
    }
    const type = button.type.toUpperCase()
    const subType = BUTTON_SUB_TYPE[type]
    if (type === 'URL' && countPlaceholders(button.url ?? '') === 0) {
      add(['components', index], `button ${position} has a fixed URL; remove this parameter`)
    } else if (!subType) {
      add(['components', index], `button ${position} (${type}) takes no parameters`)
    } else if (component.sub_type !== subType) {
      add(['components', index, 'sub_type'], `must be "${subType}" for the template's ${type} button at position ${position}`)
    }
  }
  buttons.forEach((button, position) => {
    const type = button.type.toUpperCase()
    // A quick-reply payload is optional; a URL variable, a coupon code or a one-time password has nothing to fall back on.
    const needsParameter = (type === 'URL' && countPlaceholders(button.url ?? '') > 0) || type === 'COPY_CODE' || type === 'OTP'
    if (needsParameter && !answered.has(position)) {
      add(
        ['components'],
        `needs a ${BUTTON_SUB_TYPE[type]} button component with index ${position} for the template's ${type} button`,
      )
    }
  })

  return problems
}
