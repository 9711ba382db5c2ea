// Message templates per WABA: the seeded samples, Meta's list (cursor paging), create (PENDING, approved
// after a short delay with a `message_template_status_update` webhook) and delete by name / hsm_id.
import { z } from 'zod'
import { schedule, type EmulatorState, type Template, type TemplateCategory } from './emulator-state'
import { json, type Reply } from './http-io'
import { makeNumericId } from './make-ids'
import { managementError, MetaError, missingParameter, nonexistingField } from './meta-errors'
import { deliverWebhook, webhookBytes } from './webhook-delivery'
import { accountEnvelope } from './webhook-payloads'

const NAME = /^[a-z0-9_]{1,512}$/
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/
const CATEGORIES: TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY']
const DEFAULT_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id']
const KNOWN_FIELDS = new Set([...DEFAULT_FIELDS, 'quality_score', 'rejected_reason', 'sub_category'])

const SEEDS: Omit<Template, 'id' | 'wabaId'>[] = [
  {
    name: 'hello_world',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      {
        type: 'BODY',
        text:
          'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification ' +
          'from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      },
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.', example: { body_text: [['Ana', '#1042']] } },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Track order', url: 'https://shop.example.com/orders/{{1}}', example: ['https://shop.example.com/orders/1042'] },
        ],
      },
    ],
  },
  {
    name: 'promo_image',
    language: 'en_US',
    category: 'MARKETING',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvanBlZw==:ARZdemoPromoImageHandle'] } },
      { type: 'BODY', text: 'Our autumn blend is back! Show this message in store for 10% off.' },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
    ],
  },
]

// Ids only grow, so a cursor (an id) keeps its place even when templates are deleted between pages.
let lastId = 0n
function nextTemplateId() {
  const candidate = BigInt(makeNumericId())
  lastId = candidate > lastId ? candidate : lastId + 1n
  return String(lastId)
}

export function ensureTemplatesSeeded(state: EmulatorState, wabaId: string) {
  if (state.seededWabas.has(wabaId)) return
  state.seededWabas.add(wabaId)
  for (const seed of SEEDS) {
    const template: Template = { ...structuredClone(seed), id: nextTemplateId(), wabaId }
    state.templates.set(template.id, template)
  }
}

export const templatesOf = (state: EmulatorState, wabaId: string) =>
  [...state.templates.values()].filter((t) => t.wabaId === wabaId).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url')
const decodeCursor = (cursor: string) => {
  const id = Buffer.from(cursor, 'base64url').toString()
  if (!/^\d+$/.test(id)) throw new MetaError(400, { message: '(#100) Invalid cursor', type: 'OAuthException', code: 100 })
  return BigInt(id)
}

function render(template: Template, fields: string[]) {
  const all: Record<string, unknown> = {
    name: template.name,
    parameter_format: template.parameterFormat,
    components: template.components,
    language: template.language,
    status: template.status,
    category: template.category,
    id: template.id,
    quality_score: { score: 'UNKNOWN', date: Math.floor(Date.now() / 1000) },
    rejected_reason: template.status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE',
    sub_category: null,
  }
  return Object.fromEntries([...new Set([...fields, 'id'])].map((f) => [f, all[f]]))
}

export function listTemplates(state: EmulatorState, wabaId: string, url: URL, token: string): Reply {
  const q = url.searchParams
  const fields = q.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean) ?? DEFAULT_FIELDS
  const unknown = fields.find((f) => !KNOWN_FIELDS.has(f))
  if (unknown) throw nonexistingField(unknown, 'WhatsAppBusinessHSM')
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 25) || 25, 1), 1000)
  const matching = templatesOf(state, wabaId).filter(
    (t) =>
      (!q.get('name') || t.name.includes(q.get('name')!)) &&
      (!q.get('status') || t.status === q.get('status')) &&
      (!q.get('category') || t.category === q.get('category')) &&
      (!q.get('language') || t.language === q.get('language')),
  )
  const after = q.get('after')
  const before = q.get('before')
  let page: Template[]
  if (after) {
    const id = decodeCursor(after)
    page = matching.filter((t) => BigInt(t.id) > id).slice(0, limit)
  } else if (before) {
    const id = decodeCursor(before)
    page = matching.filter((t) => BigInt(t.id) < id).slice(-limit)
  } else page = matching.slice(0, limit)

  const first = page[0]
  const last = page.at(-1)
  const link = (key: 'after' | 'before', cursor: string) => {
    const next = new URL(url.pathname, state.baseUrl)
    for (const [k, v] of q) if (!['after', 'before', 'access_token'].includes(k)) next.searchParams.set(k, v)
    // Graph puts the caller's token into paging links so they can be fetched as they are.
    next.searchParams.set('access_token', token)
    next.searchParams.set('limit', String(limit))
    next.searchParams.set(key, cursor)
    return next.toString()
  }
  const hasAfter = last && matching.some((t) => BigInt(t.id) > BigInt(last.id))
  const hasBefore = first && matching.some((t) => BigInt(t.id) < BigInt(first.id))
  return json(200, {
    data: page.map((t) => render(t, fields)),
    ...(first && last
      ? {
          paging: {
            cursors: { before: encodeCursor(first.id), after: encodeCursor(last.id) },
            ...(hasBefore ? { previous: link('before', encodeCursor(first.id)) } : {}),
            ...(hasAfter ? { next: link('after', encodeCursor(last.id)) } : {}),
          },
        }
      : {}),
  })
}

const createSchema = z.looseObject({
  name: z.unknown(),
  language: z.unknown(),
  category: z.unknown(),
  parameter_format: z.unknown().optional(),
  components: z.unknown(),
})

export const placeholders = (text: unknown) => new Set(typeof text === 'string' ? [...text.matchAll(/\{\{\s*([\w]+)\s*\}\}/g)].map((m) => m[1]!) : [])

function validateComponents(components: unknown): Record<string, unknown>[] {
  if (!Array.isArray(components) || components.length === 0) throw missingParameter('components')
  const list = components.map((c) => (c && typeof c === 'object' ? (c as Record<string, unknown>) : {}))
  const ofType = (type: string) => list.filter((c) => String(c.type).toUpperCase() === type)
  const bodies = ofType('BODY')
  if (bodies.length !== 1) throw managementError('Invalid components', 'A message template needs exactly one BODY component.')
  const body = bodies[0]!
  if (typeof body.text !== 'string' || !body.text.trim()) throw managementError('Invalid components', 'The BODY component needs text.')
  if (body.text.length > 1024) throw managementError('Body text too long', 'The BODY text must be at most 1024 characters.')
  const example = body.example as { body_text?: unknown[][] } | undefined
  if (placeholders(body.text).size && !example?.body_text?.[0]?.length)
    throw managementError('Missing sample values', 'Add sample values (example.body_text) for the variables in the BODY.')
  for (const header of ofType('HEADER')) {
    const format = String(header.format ?? '').toUpperCase()
    if (!['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(format))
      throw managementError('Invalid header format', 'HEADER format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.')
    if (format === 'TEXT' && (typeof header.text !== 'string' || header.text.length > 60))
      throw managementError('Header text too long', 'A TEXT header needs text of at most 60 characters.')
  }
  for (const footer of ofType('FOOTER'))
    if (typeof footer.text !== 'string' || footer.text.length > 60)
      throw managementError('Footer text too long', 'The FOOTER needs text of at most 60 characters.')
  for (const buttons of ofType('BUTTONS'))
    if (!Array.isArray(buttons.buttons) || buttons.buttons.length === 0 || buttons.buttons.length > 10)
      throw managementError('Invalid buttons', 'A BUTTONS component needs between 1 and 10 buttons.')
  return list
}

export function createTemplate(state: EmulatorState, wabaId: string, input: unknown): Reply {
  const body = createSchema.safeParse(input ?? {})
  if (!body.success) throw missingParameter('name')
  const { name, language, category, parameter_format: parameterFormat, components } = body.data
  for (const [key, value] of Object.entries({ name, language, category }))
    if (value === undefined || value === '') throw missingParameter(key)
  if (typeof name !== 'string' || !NAME.test(name))
    throw managementError('Invalid template name', 'Template names can only contain lowercase letters, numbers and underscores.')
  if (typeof category !== 'string' || !CATEGORIES.includes(category.toUpperCase() as TemplateCategory))
    throw new MetaError(400, {
      message: `(#100) Param category must be one of {${CATEGORIES.join(', ')}} - got "${String(category)}".`,
      type: 'OAuthException',
      code: 100,
    })
  if (typeof language !== 'string' || !LANGUAGE.test(language))
    throw managementError('Message template language not supported', `The language "${String(language)}" is not supported.`)
  if (parameterFormat !== undefined && parameterFormat !== 'POSITIONAL' && parameterFormat !== 'NAMED')
    throw managementError('Invalid parameter format', 'parameter_format must be POSITIONAL or NAMED.')
  const list = validateComponents(components)
  if (templatesOf(state, wabaId).some((t) => t.name === name && t.language === language))
    throw managementError(
      'Content in this language already exists',
      `There is already ${language} content for this template. You can create a new template and try again.`,
      2388024,
    )

  const template: Template = {
    id: nextTemplateId(),
    wabaId,
    name,
    language,
    category: category.toUpperCase() as TemplateCategory,
    status: 'PENDING',
    parameterFormat: parameterFormat ?? 'POSITIONAL',
    components: list,
  }
  state.templates.set(template.id, template)
  schedule(state, state.config.templateApprovalMs, async () => {
    if (state.templates.get(template.id)?.status === 'PENDING') await setTemplateStatus(state, template, 'APPROVED')
  })
  return json(200, { id: template.id, status: template.status, category: template.category })
}

export function deleteTemplates(state: EmulatorState, wabaId: string, url: URL): Reply {
  const name = url.searchParams.get('name')
  const hsmId = url.searchParams.get('hsm_id')
  if (!name) throw missingParameter('name')
  const doomed = templatesOf(state, wabaId).filter((t) => t.name === name && (!hsmId || t.id === hsmId))
  if (!doomed.length) throw managementError('Message template not found', `No message template named "${name}" was found.`)
  for (const t of doomed) state.templates.delete(t.id)
  return json(200, { success: true })
}

export async function setTemplateStatus(state: EmulatorState, template: Template, status: string, reason = 'NONE') {
  template.status = status
  const value = {
    event: status,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
    reason,
    message_template_category: template.category,
  }
  return deliverWebhook(state, webhookBytes(accountEnvelope(template.wabaId, 'message_template_status_update', value)))
}
