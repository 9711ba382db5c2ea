'use client'
// Builds an interactive message — up to three reply buttons, or a list of sections with up to ten rows —
// checked against Meta's limits as it is typed.
import { Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { FormActions, FormProblems, inputClass, Modal, secondaryButton } from './modal'
import { outboundProblems } from './validate-outbound'

interface Section {
  title: string
  rows: { title: string; description: string }[]
}

const Counter = ({ value, max }: { value: string; max: number }) => (
  <span className={`text-xs ${value.length > max ? 'text-red-600' : 'text-slate-400'}`}>
    {value.length}/{max}
  </span>
)

function buildBody(kind: 'button' | 'list', f: { header: string; body: string; footer: string; buttons: string[]; listButton: string; sections: Section[] }) {
  const common = {
    ...(f.header.trim() ? { header: { type: 'text', text: f.header.trim() } } : {}),
    body: { text: f.body.trim() },
    ...(f.footer.trim() ? { footer: { text: f.footer.trim() } } : {}),
  }
  const action =
    kind === 'button'
      ? { buttons: f.buttons.map((title, i) => ({ type: 'reply', reply: { id: `option_${i + 1}`, title: title.trim() } })) }
      : {
          button: f.listButton.trim(),
          sections: f.sections.map((s, si) => ({
            ...(s.title.trim() ? { title: s.title.trim() } : {}),
            rows: s.rows.map((r, ri) => ({
              id: `row_${si + 1}_${ri + 1}`,
              title: r.title.trim(),
              ...(r.description.trim() ? { description: r.description.trim() } : {}),
            })),
          })),
        }
  return { type: 'interactive', interactive: { type: kind, ...common, action } }
}

export function InteractiveBuilder({ waId, onSend, onClose }: { waId: string; onSend(body: Record<string, unknown>): void; onClose(): void }) {
  const [kind, setKind] = useState<'button' | 'list'>('button')
  const [header, setHeader] = useState('')
  const [body, setBody] = useState('')
  const [footer, setFooter] = useState('')
  const [buttons, setButtons] = useState<string[]>([''])
  const [listButton, setListButton] = useState('Options')
  const [sections, setSections] = useState<Section[]>([{ title: '', rows: [{ title: '', description: '' }] }])
  const [touched, setTouched] = useState(false)

  const message = buildBody(kind, { header, body, footer, buttons, listButton, sections })
  const problems = outboundProblems(message, waId)
  const rowCount = sections.reduce((n, s) => n + s.rows.length, 0)
  const updateSection = (si: number, patch: Partial<Section>) => setSections((all) => all.map((s, i) => (i === si ? { ...s, ...patch } : s)))

  return (
    <Modal title="Interactive message" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault()
          setTouched(true)
          if (problems.length === 0) onSend(message)
        }}
      >
        <div role="radiogroup" aria-label="Kind" className="flex gap-2">
          {(['button', 'list'] as const).map((k) => (
            <label key={k} className="flex items-center gap-1 text-sm">
              <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} /> {k === 'button' ? 'Reply buttons' : 'List'}
            </label>
          ))}
        </div>
        <label className="text-sm">
          <span className="flex justify-between">
            Header (optional) <Counter value={header} max={60} />
          </span>
          <input className={inputClass} value={header} onChange={(e) => setHeader(e.target.value)} />
        </label>
        <label className="text-sm">
          <span className="flex justify-between">
            Body <Counter value={body} max={1024} />
          </span>
          <textarea className={inputClass} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <label className="text-sm">
          <span className="flex justify-between">
            Footer (optional) <Counter value={footer} max={60} />
          </span>
          <input className={inputClass} value={footer} onChange={(e) => setFooter(e.target.value)} />
        </label>

        {kind === 'button' ? (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">Buttons (up to 3, 20 characters each)</legend>
            {buttons.map((title, i) => (
              <div key={i} className="flex items-center gap-2">
                <input
                  aria-label={`Button ${i + 1} title`}
                  className={inputClass}
                  value={title}
                  onChange={(e) => setButtons((all) => all.map((b, j) => (j === i ? e.target.value : b)))}
                />
                <Counter value={title} max={20} />
                {buttons.length > 1 && (
                  <button type="button" aria-label={`Remove button ${i + 1}`} onClick={() => setButtons((all) => all.filter((_, j) => j !== i))} className="p-1 text-slate-500">
                    <Trash2 aria-hidden className="h-4 w-4" />
                  </button>
                )}
              </div>
            ))}
            {buttons.length < 3 && (
              <button type="button" className={`${secondaryButton} flex items-center gap-1 self-start`} onClick={() => setButtons((all) => [...all, ''])}>
                <Plus aria-hidden className="h-4 w-4" /> Add button
              </button>
            )}
          </fieldset>
        ) : (
          <fieldset className="flex flex-col gap-3">
            <legend className="mb-1 text-sm font-medium">List ({rowCount}/10 rows)</legend>
            <label className="text-sm">
              <span className="flex justify-between">
                Menu button label <Counter value={listButton} max={20} />
              </span>
              <input className={inputClass} value={listButton} onChange={(e) => setListButton(e.target.value)} />
            </label>
            {sections.map((section, si) => (
              <div key={si} className="rounded-md border border-slate-200 p-2">
                <div className="flex items-center gap-2">
                  <input
                    aria-label={`Section ${si + 1} title`}
                    placeholder={sections.length > 1 ? 'Section title' : 'Section title (optional)'}
                    className={inputClass}
                    value={section.title}
                    onChange={(e) => updateSection(si, { title: e.target.value })}
                  />
                  {sections.length > 1 && (
                    <button type="button" aria-label={`Remove section ${si + 1}`} onClick={() => setSections((all) => all.filter((_, j) => j !== si))} className="p-1 text-slate-500">
                      <Trash2 aria-hidden className="h-4 w-4" />
                    </button>
                  )}
                </div>
                {section.rows.map((row, ri) => (
                  <div key={ri} className="mt-2 grid grid-cols-[1fr_1fr_auto] gap-2">
                    <input
                      aria-label={`Section ${si + 1} row ${ri + 1} title`}
                      placeholder="Row title"
                      className={inputClass}
                      value={row.title}
                      onChange={(e) => updateSection(si, { rows: section.rows.map((r, j) => (j === ri ? { ...r, title: e.target.value } : r)) })}
                    />
                    <input
                      aria-label={`Section ${si + 1} row ${ri + 1} description`}
                      placeholder="Description (optional)"
                      className={inputClass}
                      value={row.description}
                      onChange={(e) => updateSection(si, { rows: section.rows.map((r, j) => (j === ri ? { ...r, description: e.target.value } : r)) })}
                    />
                    <button
                      type="button"
                      aria-label={`Remove section ${si + 1} row ${ri + 1}`}
                      disabled={section.rows.length === 1}
                      onClick={() => updateSection(si, { rows: section.rows.filter((_, j) => j !== ri) })}
                      className="p-1 text-slate-500 disabled:opacity-30"
                    >
                      <Trash2 aria-hidden className="h-4 w-4" />
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  disabled={rowCount >= 10}
                  className={`${secondaryButton} mt-2 flex items-center gap-1`}
                  onClick={() => updateSection(si, { rows: [...section.rows, { title: '', description: '' }] })}
                >
                  <Plus aria-hidden className="h-4 w-4" /> Add row
                </button>
              </div>
            ))}
            <button
              type="button"
              disabled={rowCount >= 10 || sections.length >= 10}
              className={`${secondaryButton} flex items-center gap-1 self-start`}
              onClick={() => setSections((all) => [...all, { title: '', rows: [{ title: '', description: '' }] }])}
            >
              <Plus aria-hidden className="h-4 w-4" /> Add section
            </button>
          </fieldset>
        )}

        {touched && <FormProblems problems={problems} />}
        <FormActions onCancel={onClose} submitLabel="Send interactive message" />
      </form>
    </Modal>
  )
}
