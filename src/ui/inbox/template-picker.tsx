'use client'
// Picks an approved template of the conversation's WhatsApp account, asks for its variables (header,
// body, button URL suffixes, coupon codes, header media link), previews it live and sends it with the
// components and parameters Meta expects.
import { useState } from 'react'
import { checkTemplateParameters } from '@/core/whatsapp/check-template-parameters'
import { buildTemplateMessage, templateInputs, templateParts } from '@/core/whatsapp/template-inputs'
import { TemplatePreview } from '@/ui/templates/template-preview'
import type { TemplateComponentDefinition } from './inbox-api'
import { inputClass, Modal, primaryButton, secondaryButton } from './modal'
import { useApprovedTemplates } from './use-inbox-queries'
import { outboundProblems } from './validate-outbound'
import { useNumbers } from '@/ui/api/numbers'

export function TemplatePicker({ numberId, waId, onSend, onClose }: { numberId: string; waId: string; onSend(body: Record<string, unknown>): void; onClose(): void }) {
  const numbers = useNumbers()
  const templates = useApprovedTemplates()
  const wabaId = numbers.data?.find((n) => n.id === numberId)?.wabaId
  const available = (templates.data ?? []).filter((t) => t.status === 'APPROVED' && (!wabaId || t.wabaId === wabaId))
  const [selectedId, setSelectedId] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const [problems, setProblems] = useState<string[]>([])
  const template = available.find((t) => t.id === selectedId) ?? null
  const fields = template ? templateInputs(template.components) : []
  const unsupported = template && templateParts(template.components).format === 'LOCATION'

  return (
    <Modal title="Send a template" onClose={onClose} wide>
      {templates.isPending || numbers.isPending ? (
        <p className="text-sm text-slate-500">Loading templates…</p>
      ) : available.length === 0 ? (
        <p className="text-sm text-slate-600">No approved templates for this number’s WhatsApp account. Create or sync them on the Templates page.</p>
      ) : (
        <form
          className="grid gap-4 md:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault()
            if (!template) return
            const message = buildTemplateMessage(template, values)
            // An empty field is named by its label; only when every field is filled do the template's own
            // checks speak (their paths are Meta's, so they come after the sentence a person can act on).
            const empty = fields.filter((f) => !values[f.key]?.trim()).map((f) => `Fill in ${f.label}`)
            const found = empty.length
              ? empty
              : [
                  ...checkTemplateParameters(template.components as TemplateComponentDefinition[] as never, message as never).map((p) => `${p.message} (${p.path})`),
                  ...outboundProblems(message, waId),
                ]
            setProblems([...new Set(found)])
            if (found.length === 0) onSend(message)
          }}
        >
          <div className="flex flex-col gap-3">
            <label className="text-sm">
              Template
              <select
                aria-label="Template"
                className={inputClass}
                value={selectedId}
                onChange={(e) => {
                  setSelectedId(e.target.value)
                  setValues({})
                  setProblems([])
                }}
              >
                <option value="">Choose a template…</option>
                {available.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.language}) · {t.category.toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            {fields.map((f) => (
              <label key={f.key} className="text-sm">
                {f.label}
                <input
                  className={inputClass}
                  placeholder={f.placeholder}
                  value={values[f.key] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                />
              </label>
            ))}
            {template && fields.length === 0 && !unsupported && <p className="text-sm text-slate-500">This template has no variables.</p>}
            {unsupported && <p className="text-sm text-amber-700">Templates with a location header can be sent from campaigns only.</p>}
            {problems.length > 0 && (
              <ul role="alert" className="list-disc rounded-md bg-red-50 p-2 pl-6 text-sm text-red-700">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </div>
          <div className="flex flex-col gap-3">
            {template ? <TemplatePreview components={template.components} values={values} /> : <p className="text-sm text-slate-500">Pick a template to preview it.</p>}
            <div className="mt-auto flex justify-end gap-2">
              <button type="button" className={secondaryButton} onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className={primaryButton} disabled={!template || Boolean(unsupported)}>
                Send template
              </button>
            </div>
          </div>
        </form>
      )}
    </Modal>
  )
}
