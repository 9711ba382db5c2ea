// Fills a template's {{1}} / {{name}} placeholders, for the chat (from a sent message's parameters) and
// for the picker's live preview (from the agent's inputs).
import type { TemplateComponent as TemplateComponentDefinition } from './template-inputs'

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g


function fillPlaceholders(text: string, valueOf: (key: string) => string | undefined): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => valueOf(key) || whole)
}

interface SentParameter {
  type: string
  text?: string
  parameter_name?: string
  currency?: { fallback_value?: string }
  date_time?: { fallback_value?: string }
  payload?: string
  coupon_code?: string
}
interface SentComponent {
  type: string
  sub_type?: string
  index?: string | number
  parameters?: SentParameter[]
}

const parameterText = (p: SentParameter | undefined) =>
  p?.text ?? p?.currency?.fallback_value ?? p?.date_time?.fallback_value ?? p?.payload ?? p?.coupon_code ?? undefined

/** The values of one sent component keyed like the picker keys them: "1", "2"… and parameter names. */
function valuesOf(component: SentComponent | undefined): (key: string) => string | undefined {
  const parameters = component?.parameters ?? []
  return (key) => {
    const named = parameters.find((p) => p.parameter_name === key)
    return parameterText(named ?? (/^\d+$/.test(key) ? parameters[Number(key) - 1] : undefined))
  }
}

export interface FilledTemplate {
  header: string | null
  headerFormat: string | null
  body: string | null
  footer: string | null
  buttons: string[]
}

/** The template as the customer saw it, from its approved definition and the parameters that were sent. */
export function fillSentTemplate(definition: TemplateComponentDefinition[], sent: SentComponent[]): FilledTemplate {
  const find = (type: string) => definition.find((c) => c.type.toUpperCase() === type)
  const sentOf = (type: string) => sent.find((c) => c.type.toLowerCase() === type)
  const header = find('HEADER')
  const headerFormat = (header?.format ?? 'TEXT').toUpperCase()
  return {
    header: header?.text && headerFormat === 'TEXT' ? fillPlaceholders(header.text, valuesOf(sentOf('header'))) : null,
    headerFormat: header ? headerFormat : null,
    body: find('BODY')?.text ? fillPlaceholders(find('BODY')!.text!, valuesOf(sentOf('body'))) : null,
    footer: find('FOOTER')?.text ?? null,
    buttons: (find('BUTTONS')?.buttons ?? []).map((b) => b.text ?? b.type),
  }
}
