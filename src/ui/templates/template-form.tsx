'use client'
// The "New template" form: builds Meta's template draft (header, body with example values, footer,
// buttons), previews it live, submits it through POST /api/templates and shows each validation error
// next to its field (ours by path, Meta's refusal above the submit button).
import { useMutation } from '@tanstack/react-query'
import { Plus, X } from 'lucide-react'
import { useId, useState, type ReactNode } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { useNumbers } from '@/ui/api/numbers'
import { TemplatePreview } from './template-preview'
import { TEMPLATE_CATEGORIES } from './templates-api'

const LANGUAGES = ['en_US', 'en_GB', 'es', 'es_MX', 'pt_BR', 'pt_PT', 'fr', 'de', 'it', 'nl', 'id', 'hi', 'ar', 'tr']
const HEADER_FORMATS = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const
// Meta's limits per template: 10 buttons, at most 2 URL buttons and 1 phone button.
const BUTTON_LIMITS = { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1 } as const
const MAX_BUTTONS = 10
type ButtonType = keyof typeof BUTTON_LIMITS
const BUTTON_LABEL: Record<ButtonType, string> = { QUICK_REPLY: 'Quick reply', URL: 'Visit website', PHONE_NUMBER: 'Call phone number' }

interface DraftButton {
  type: ButtonType
  text: string
  value: string
  example: string
}

const inputClass = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm'
const variablesOf = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))]

export function TemplateForm({ onCreated, onCancel }: { onCreated: () => void; onCancel: () => void }) {
  const numbers = useNumbers()
  const wabaIds = [...new Set(numbers.data?.map((n) => n.wabaId))]
  const [wabaId, setWabaId] = useState('')
  const [name, setName] = useState('')
  const [language, setLanguage] = useState('en_US')
  const [category, setCategory] = useState<(typeof TEMPLATE_CATEGORIES)[number]>('UTILITY')
  const [headerFormat, setHeaderFormat] = useState<(typeof HEADER_FORMATS)[number]>('NONE')
  const [headerText, setHeaderText] = useState('')
  const [headerExample, setHeaderExample] = useState('')
  const [body, setBody] = useState('')
  const [examples, setExamples] = useState<Record<string, string>>({})
  const [footer, setFooter] = useState('')
  const [buttons, setButtons] = useState<DraftButton[]>([])
  const ids = { waba: useId(), language: useId(), category: useId(), header: useId(), body: useId() }

  const bodyVariables = variablesOf(body)
  const headerVariables = headerFormat === 'TEXT' ? variablesOf(headerText) : []
  const named = bodyVariables.some((v) => !/^\d+$/.test(v))
  const { components, index } = buildComponents()
  const create = useMutation({
    mutationFn: () =>
      api('/api/templates', {
        body: { wabaId: wabaId || wabaIds[0], template: { name, language, category, ...(named ? { parameter_format: 'NAMED' } : {}), components } },
      }),
    onSuccess: () => {
      toast.success(`Submitted ${name} to Meta for review`)
      onCreated()
    },
  })
  const errors = fieldErrors(create.error)
  const errorAt = (path: string) => Object.entries(errors).find(([p]) => p === path || p.startsWith(`${path}.`))?.[1]
  const componentError = (type: string, sub = '') => (index[type] === undefined ? undefined : errorAt(`template.components.${index[type]}${sub}`))
  const placedErrors = new Set<string | undefined>()
  const placed = (message: string | undefined) => (placedErrors.add(message), message)

  function buildComponents() {
    const list: Record<string, unknown>[] = []
    const at: Record<string, number> = {}
    const push = (type: string, component: Record<string, unknown>) => {
      at[type] = list.length
      list.push({ type, ...component })
    }
    if (headerFormat === 'TEXT')
      push('HEADER', { format: 'TEXT', text: headerText, ...(headerVariables.length ? { example: { header_text: [headerExample] } } : {}) })
    else if (headerFormat !== 'NONE') push('HEADER', { format: headerFormat })
    push('BODY', { text: body, ...(bodyVariables.length ? { example: { body_text: [bodyVariables.map((v) => examples[v] ?? '')] } } : {}) })
    if (footer) push('FOOTER', { text: footer })
    if (buttons.length)
      push('BUTTONS', {
        buttons: buttons.map((b) =>
          b.type === 'URL'
            ? { type: 'URL', text: b.text, url: b.value, ...(variablesOf(b.value).length ? { example: [b.example] } : {}) }
            : b.type === 'PHONE_NUMBER'
              ? { type: 'PHONE_NUMBER', text: b.text, phone_number: b.value }
              : { type: 'QUICK_REPLY', text: b.text },
        ),
      })
    return { components: list, index: at }
  }

  const previewValues = Object.fromEntries([
    ...bodyVariables.map((v) => [`body.${v}`, examples[v] ?? '']),
    ...headerVariables.map((v) => [`header.${v}`, headerExample]),
  ])
  const canAdd = (type: ButtonType) => buttons.length < MAX_BUTTONS && buttons.filter((b) => b.type === type).length < BUTTON_LIMITS[type]
  const updateButton = (i: number, patch: Partial<DraftButton>) => setButtons((list) => list.map((b, j) => (j === i ? { ...b, ...patch } : b)))

  const fields: ReactNode = (
    <div className="space-y-4">
      {wabaIds.length > 1 && (
        <Select id={ids.waba} label="WhatsApp Business Account" value={wabaId || wabaIds[0]!} onChange={setWabaId} options={wabaIds} error={placed(errors.wabaId)} />
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value.toLowerCase().replace(/[^a-z0-9_]/g, '_'))}
          pattern="[a-z0-9_]+"
          placeholder="order_update"
          error={placed(errorAt('template.name'))}
        />
        <Select id={ids.language} label="Language" value={language} onChange={setLanguage} options={LANGUAGES} error={placed(errorAt('template.language'))} />
        <Select
          id={ids.category}
          label="Category"
          value={category}
          onChange={(v) => setCategory(v as typeof category)}
          options={[...TEMPLATE_CATEGORIES]}
          error={placed(errorAt('template.category'))}
        />
      </div>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Header</legend>
        <Select id={ids.header} label="Header type" value={headerFormat} onChange={(v) => setHeaderFormat(v as typeof headerFormat)} options={[...HEADER_FORMATS]} />
        {headerFormat === 'TEXT' && (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Header text" maxLength={60} value={headerText} onChange={(e) => setHeaderText(e.target.value)} error={placed(componentError('HEADER'))} />
            {headerVariables.length > 0 && <Field label="Example for the header variable" required value={headerExample} onChange={(e) => setHeaderExample(e.target.value)} />}
          </div>
        )}
        {headerFormat !== 'NONE' && headerFormat !== 'TEXT' && (
          <p className="text-sm text-slate-500">The {headerFormat.toLowerCase()} is attached when the template is sent; Meta may ask for a sample during review.</p>
        )}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor={ids.body} className="block text-sm font-medium text-slate-700">
          Body
        </label>
        <textarea
          id={ids.body}
          required
          rows={4}
          maxLength={1024}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`${ids.body}-hint`}
          aria-invalid={componentError('BODY') ? true : undefined}
          className={inputClass}
          placeholder="Hi {{1}}, your order {{2}} is on its way."
        />
        <p id={`${ids.body}-hint`} className="text-xs text-slate-500">
          Use {'{{1}}'}, {'{{2}}'}… or named variables such as {'{{first_name}}'}. {body.length}/1024
        </p>
        {componentError('BODY') && <p className="text-sm text-red-600">{placed(componentError('BODY'))}</p>}
      </div>
      {bodyVariables.length > 0 && (
        <fieldset className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2">
          <legend className="px-1 text-sm font-medium text-slate-700">Example values for review</legend>
          {bodyVariables.map((v) => (
            <Field key={v} label={`Example for {{${v}}}`} required value={examples[v] ?? ''} onChange={(e) => setExamples((x) => ({ ...x, [v]: e.target.value }))} />
          ))}
        </fieldset>
      )}
      <Field label="Footer (optional)" maxLength={60} value={footer} onChange={(e) => setFooter(e.target.value)} error={placed(componentError('FOOTER'))} />
      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-700">Buttons (optional)</legend>
        {buttons.map((b, i) => (
          <div key={i} className="grid gap-3 rounded-md bg-slate-50 p-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
            <Field label={`${BUTTON_LABEL[b.type]} text`} required maxLength={25} value={b.text} onChange={(e) => updateButton(i, { text: e.target.value })} error={placed(componentError('BUTTONS', `.buttons.${i}.text`))} />
            {b.type !== 'QUICK_REPLY' && (
              <Field
                label={b.type === 'URL' ? 'Website URL' : 'Phone number'}
                required
                type={b.type === 'URL' ? 'url' : 'tel'}
                value={b.value}
                placeholder={b.type === 'URL' ? 'https://shop.example.com/orders/{{1}}' : '+15550100001'}
                onChange={(e) => updateButton(i, { value: e.target.value })}
                error={placed(componentError('BUTTONS', `.buttons.${i}.${b.type === 'URL' ? 'url' : 'phone_number'}`))}
              />
            )}
            <button type="button" onClick={() => setButtons((list) => list.filter((_, j) => j !== i))} className="rounded-md p-2 text-slate-500 hover:bg-slate-200" aria-label={`Remove button ${i + 1}`}>
              <X aria-hidden className="h-4 w-4" />
            </button>
            {b.type === 'URL' && variablesOf(b.value).length > 0 && (
              <Field label="Example full URL" required type="url" value={b.example} onChange={(e) => updateButton(i, { example: e.target.value })} />
            )}
          </div>
        ))}
        <div className="flex flex-wrap gap-2">
          {(Object.keys(BUTTON_LIMITS) as ButtonType[]).map((type) => (
            <button
              key={type}
              type="button"
              disabled={!canAdd(type)}
              onClick={() => setButtons((list) => [...list, { type, text: '', value: '', example: '' }])}
              className="inline-flex items-center gap-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50"
            >
              <Plus aria-hidden className="h-4 w-4" /> {BUTTON_LABEL[type]}
            </button>
          ))}
        </div>
        {componentError('BUTTONS') && !placedErrors.has(componentError('BUTTONS')) && <p className="text-sm text-red-600">{componentError('BUTTONS')}</p>}
      </fieldset>
    </div>
  )
  // Errors no field claimed (Meta's refusal, or a path the form has no field for) go above the buttons.
  const unplaced = create.error && (Object.keys(errors).length === 0 ? [create.error.message] : Object.values(errors).filter((m) => !placedErrors.has(m)))

  return (
    <form
      aria-label="New template"
      className="grid gap-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6 lg:grid-cols-[minmax(0,1fr)_20rem]"
      onSubmit={(e) => {
        e.preventDefault()
        create.mutate()
      }}
    >
      <div className="space-y-4">
        <h2 className="text-lg font-semibold">New template</h2>
        {fields}
        {unplaced && unplaced.length > 0 && (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700">
            {unplaced.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {numbers.isSuccess && wabaIds.length === 0 && <p className="text-sm text-amber-700">Connect a WhatsApp number first: templates belong to its Business Account.</p>}
        <div className="flex gap-2">
          <button type="submit" className={buttonClass} disabled={create.isPending || wabaIds.length === 0}>
            {create.isPending ? 'Submitting…' : 'Submit for review'}
          </button>
          <button type="button" onClick={onCancel} className="rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
            Cancel
          </button>
        </div>
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-slate-700">Preview</p>
        <TemplatePreview components={components} values={previewValues} />
      </div>
    </form>
  )
}

function Select({ id, label, value, onChange, options, error }: { id: string; label: string; value: string; onChange: (v: string) => void; options: string[]; error?: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} className={inputClass}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o === 'NONE' ? 'None' : o}
          </option>
        ))}
      </select>
      {error && <p className="text-sm text-red-600">{error}</p>}
    </div>
  )
}
