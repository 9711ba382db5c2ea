'use client'
// Step 2: the approved template (of the sending number's WhatsApp account) and where each of its inputs
// comes from for each contact (a contact field, a custom field or fixed text), with a fallback; then the
// message as a few real contacts will read it and which inputs some contacts lack.
import type { UseQueryResult } from '@tanstack/react-query'
import { TriangleAlert } from 'lucide-react'
import { useId } from 'react'
import { CONTACT_FIELDS, type ContactField, type VariableMapping, type VariableSource } from '@/core/campaigns/campaign-schemas'
import { templateInputs, templateParts, type TemplateInput } from '@/core/whatsapp/template-inputs'
import type { TemplateRow } from '@/ui/inbox/inbox-api'
import { inputClass } from '@/ui/inbox/modal'
import { useApprovedTemplates } from '@/ui/inbox/use-inbox-queries'
import { TemplatePreview } from '@/ui/templates/template-preview'
import { CONTACT_FIELD_LABEL } from './campaign-format'
import { HeaderMediaUpload } from './header-media-upload'
import type { CampaignReview } from './campaigns-api'
import { numberLabel } from './number-label'
import type { DraftForm } from './use-draft-autosave'
import { displayPhone } from '@/core/util/display-phone'
import { useNumbers } from '@/ui/api/numbers'

type PreviewMessage = CampaignReview['preview'][number]
const SOURCE_LABEL = { contact: 'Contact field', custom: 'Custom field', constant: 'Same text for everyone' } as const
type SourceKind = keyof typeof SOURCE_LABEL

interface Props {
  draft: DraftForm
  update(change: Partial<DraftForm>): void
  review: UseQueryResult<CampaignReview>
}

export function TemplateStep({ draft, update, review }: Props) {
  const id = useId()
  const numbers = useNumbers()
  const templates = useApprovedTemplates()
  const wabaId = numbers.data?.find((n) => n.id === draft.numberId)?.wabaId
  const available = (templates.data ?? []).filter((t) => t.status === 'APPROVED' && wabaId !== undefined && t.wabaId === wabaId)
  const template = (templates.data ?? []).find((t) => t.id === draft.templateId) ?? null
  const inputs = template ? templateInputs(template.components) : []
  const headerFormat = template ? templateParts(template.components).format : 'TEXT'
  const inputLabel = (key: string) => inputs.find((i) => i.key === key)?.label ?? key

  const chooseTemplate = (templateId: string) => {
    const next = available.find((t) => t.id === templateId)
    // Sources for inputs the new template shares (same keys) are kept; the rest no longer apply.
    const keys = new Set(next ? templateInputs(next.components).map((i) => i.key) : [])
    update({ templateId: templateId || null, variables: Object.fromEntries(Object.entries(draft.variables).filter(([k]) => keys.has(k))) })
  }
  const setSource = (key: string, source: VariableSource | null) => {
    const variables: VariableMapping = { ...draft.variables }
    if (source) variables[key] = source
    else delete variables[key]
    update({ variables })
  }

  const data = review.data
  const missing = (data?.missingValues ?? []).filter((m) => m.count > 0)

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="space-y-5">
        <div className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2">
          <div>
            <label htmlFor={`${id}-number`} className="mb-1 block text-sm font-medium text-slate-700">
              Send from
            </label>
            <select
              id={`${id}-number`}
              value={draft.numberId ?? ''}
              onChange={(e) => {
                const numberId = e.target.value || null
                const sameAccount = numbers.data?.find((n) => n.id === numberId)?.wabaId === template?.wabaId
                update(sameAccount ? { numberId } : { numberId, templateId: null, variables: {} })
              }}
              className={inputClass}
            >
              <option value="">Choose a number…</option>
              {numbers.data?.map((n) => (
                <option key={n.id} value={n.id}>
                  {numberLabel(n)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-template`} className="mb-1 block text-sm font-medium text-slate-700">
              Template
            </label>
            <select id={`${id}-template`} value={draft.templateId ?? ''} onChange={(e) => chooseTemplate(e.target.value)} disabled={!draft.numberId} className={inputClass}>
              <option value="">{draft.numberId ? 'Choose an approved template…' : 'Choose a number first'}</option>
              {available.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.language}) · {t.category.toLowerCase()}
                </option>
              ))}
            </select>
            {draft.numberId && templates.isSuccess && available.length === 0 && (
              <p className="mt-1 text-sm text-amber-700">No approved templates for this number’s WhatsApp account. Create or sync them on the Templates page.</p>
            )}
          </div>
        </div>

        {template && (
          <section aria-labelledby={`${id}-vars`} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
            <h2 id={`${id}-vars`} className="text-sm font-semibold">
              Variables
            </h2>
            {inputs.length === 0 && <p className="text-sm text-slate-500">This template has no variables: everyone receives the same message.</p>}
            {inputs.map((input) => (
              <VariableRow
                key={input.key}
                input={input}
                source={draft.variables[input.key]}
                onChange={(s) => setSource(input.key, s)}
                media={input.key === 'header.media' && draft.numberId ? { numberId: draft.numberId, format: headerFormat } : null}
              />
            ))}
          </section>
        )}

        {data && data.unmapped.length > 0 && template && (
          <p role="status" className="flex items-start gap-2 rounded-md bg-amber-50 p-2 text-sm text-amber-800">
            <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
            No source yet for {data.unmapped.map(inputLabel).join(', ')}.
          </p>
        )}
        {missing.length > 0 && (
          <ul aria-label="Missing values" data-testid="missing-values" className="space-y-1 rounded-md bg-amber-50 p-2 text-sm text-amber-800">
            {missing.map((m) => (
              <li key={m.key} className="flex items-start gap-2">
                <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
                {m.count.toLocaleString()} contact{m.count === 1 ? ' has' : 's have'} no value for {inputLabel(m.key)} and there is no fallback.
              </li>
            ))}
          </ul>
        )}
      </div>

      <section aria-labelledby={`${id}-previews`} className="space-y-3">
        <h2 id={`${id}-previews`} className="text-sm font-semibold">
          Preview for your contacts
        </h2>
        {!template ? (
          <p className="text-sm text-slate-500">Pick a template to preview it.</p>
        ) : data && data.preview.length > 0 ? (
          <ul className="space-y-3" data-testid="contact-previews">
            {data.preview.map((p) => (
              <ContactPreview key={p.contactId} template={template} message={p} inputLabel={inputLabel} />
            ))}
          </ul>
        ) : (
          <>
            <TemplatePreview components={template.components} />
            <p className="text-xs text-slate-500">{data ? 'No eligible contacts to preview yet.' : 'Fetching previews…'}</p>
          </>
        )}
      </section>
    </div>
  )
}

function VariableRow({
  input,
  source,
  onChange,
  media,
}: {
  input: TemplateInput
  source: VariableSource | undefined
  onChange(source: VariableSource | null): void
  /** For a media header: the number its upload goes to, and the header's format. */
  media: { numberId: string; format: string } | null
}) {
  const id = useId()
  const kind = source?.kind ?? ''
  const changeKind = (next: SourceKind | '') =>
    onChange(
      next === 'contact' ? { kind: 'contact', field: 'first_name', fallback: undefined }
      : next === 'custom' ? { kind: 'custom', key: '', fallback: undefined }
      : next === 'constant' ? { kind: 'constant', value: '' }
      : null,
    )
  const fallback = source && source.kind !== 'constant' ? (source.fallback ?? '') : null
  return (
    <fieldset className="grid gap-2 border-t border-slate-100 pt-3 first-of-type:border-t-0 first-of-type:pt-0 sm:grid-cols-3">
      <legend className="mb-1 text-sm font-medium text-slate-800">{input.label}</legend>
      <div>
        <label htmlFor={`${id}-kind`} className="mb-1 block text-xs text-slate-600">
          Value from
        </label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => changeKind(e.target.value as SourceKind | '')} className={inputClass}>
          <option value="">Not set</option>
          {(Object.keys(SOURCE_LABEL) as SourceKind[]).map((k) => (
            <option key={k} value={k}>
              {SOURCE_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      {source?.kind === 'contact' && (
        <div>
          <label htmlFor={`${id}-field`} className="mb-1 block text-xs text-slate-600">
            Contact field
          </label>
          <select id={`${id}-field`} value={source.field} onChange={(e) => onChange({ ...source, field: e.target.value as ContactField })} className={inputClass}>
            {CONTACT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {CONTACT_FIELD_LABEL[f]}
              </option>
            ))}
          </select>
        </div>
      )}
      {source?.kind === 'custom' && (
        <div>
          <label htmlFor={`${id}-key`} className="mb-1 block text-xs text-slate-600">
            Custom field name
          </label>
          <input id={`${id}-key`} value={source.key} maxLength={64} placeholder="e.g. city" onChange={(e) => onChange({ ...source, key: e.target.value })} className={inputClass} />
        </div>
      )}
      {source?.kind === 'constant' && (
        <div className="sm:col-span-2">
          <label htmlFor={`${id}-value`} className="mb-1 block text-xs text-slate-600">
            Text
          </label>
          <input id={`${id}-value`} value={source.value} maxLength={1024} placeholder={input.placeholder} onChange={(e) => onChange({ ...source, value: e.target.value })} className={inputClass} />
        </div>
      )}
      {media && source?.kind === 'constant' && <HeaderMediaUpload {...media} onUploaded={(mediaId) => onChange({ kind: 'constant', value: mediaId })} />}
      {source && source.kind !== 'constant' && (
        <div>
          <label htmlFor={`${id}-fallback`} className="mb-1 block text-xs text-slate-600">
            Fallback when empty
          </label>
          <input
            id={`${id}-fallback`}
            value={fallback ?? ''}
            maxLength={1024}
            placeholder="e.g. there"
            onChange={(e) => onChange({ ...source, fallback: e.target.value || undefined })}
            className={inputClass}
          />
        </div>
      )}
    </fieldset>
  )
}

function ContactPreview({ template, message, inputLabel }: { template: TemplateRow; message: PreviewMessage; inputLabel(key: string): string }) {
  // The review fills the text for this contact; the template supplies the layout (media, buttons).
  const components = template.components.map((c) => {
    const type = c.type.toUpperCase()
    if (type === 'HEADER' && (c.format ?? 'TEXT').toUpperCase() === 'TEXT') return { ...c, text: message.header ?? c.text }
    if (type === 'BODY') return { ...c, text: message.body ?? c.text }
    if (type === 'FOOTER') return { ...c, text: message.footer ?? c.text }
    return c
  })
  return (
    <li className="space-y-1">
      <p className="text-xs font-medium text-slate-600">
        {message.name ?? 'Unnamed'}
        {message.waId ? ` · ${displayPhone(message.waId)}` : ''}
      </p>
      <TemplatePreview components={components} />
      {message.missing.length > 0 && <p className="text-xs text-amber-700">Missing: {message.missing.map(inputLabel).join(', ')}</p>}
    </li>
  )
}
