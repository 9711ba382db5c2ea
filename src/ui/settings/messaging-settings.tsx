'use client'
// Messaging settings of the workspace: how customers unsubscribe by keyword (keywords, the confirmation
// reply, re-subscribe keywords) and the price table campaign cost estimates use. Owners and admins edit;
// other members see the current values.
import { useQuery } from '@tanstack/react-query'
import { Plus, X } from 'lucide-react'
import { useId, useState } from 'react'
import { normalizeKeyword } from '@/core/opt-out/match-opt-out-keyword'
import type { OptOutSettings } from '@/core/opt-out/opt-out-settings'
import { api } from '@/ui/api/api-client'
import { useActiveRole, useSession } from '@/ui/api/use-session'
import { buttonClass } from '@/ui/components/field'
import { inputClass, secondaryButton } from '@/ui/inbox/modal'
import { campaignSettingsKeys, type CampaignSettingsResponse } from './campaign-settings-api'
import { PriceTableForm } from './price-table-form'
import { SaveProblems, useSaveCampaignSettings } from './save-campaign-settings'

const MAX_KEYWORDS = 30

export function MessagingSettings() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const role = useActiveRole()
  const canEdit = role === 'owner' || role === 'admin'
  const settings = useQuery({
    queryKey: campaignSettingsKeys.all(tenantId),
    queryFn: () => api<CampaignSettingsResponse>('/api/settings/campaigns'),
    enabled: tenantId !== null,
  })

  return (
    <section aria-labelledby="messaging-title" className="mx-auto max-w-5xl space-y-8">
      <div className="space-y-1">
        <h1 id="messaging-title" className="text-2xl font-semibold">
          Messaging
        </h1>
        <p className="text-sm text-slate-500">
          Opt-out keywords apply to every incoming message; campaigns skip opted-out contacts and estimate their cost from the price table.
        </p>
        {session && !canEdit && <p className="text-sm text-slate-500">Only owners and admins change these settings.</p>}
      </div>
      {settings.isPending && <p className="text-sm text-slate-500">Loading settings…</p>}
      {settings.error && (
        <p role="alert" className="text-sm text-red-600">
          {settings.error.message}
        </p>
      )}
      {settings.data && (
        <>
          <OptOutForm key={`opt-out-${tenantId}`} initial={settings.data.optOut} canEdit={canEdit} tenantId={tenantId} />
          <PriceTableForm key={`pricing-${tenantId}`} initial={settings.data.pricing} canEdit={canEdit} tenantId={tenantId} />
        </>
      )}
    </section>
  )
}

function OptOutForm({ initial, canEdit, tenantId }: { initial: OptOutSettings; canEdit: boolean; tenantId: string | null }) {
  const ids = { enabled: useId(), confirmation: useId() }
  const [form, setForm] = useState(initial)
  const save = useSaveCampaignSettings(tenantId, 'Opt-out settings')
  const set = <K extends keyof OptOutSettings>(key: K, value: OptOutSettings[K]) => setForm((f) => ({ ...f, [key]: value }))

  return (
    <form
      aria-labelledby="opt-out-title"
      className="space-y-5 rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate({ optOut: form })
      }}
    >
      <div className="space-y-1">
        <h2 id="opt-out-title" className="text-lg font-semibold">
          Opt-out keywords
        </h2>
        <p className="text-sm text-slate-500">
          A customer whose whole message is one of these words (any case, accents or punctuation) is opted out and gets the confirmation below. They can still talk to
          your agents.
        </p>
      </div>
      <div className="flex items-center gap-2">
        <input
          id={ids.enabled}
          type="checkbox"
          checked={form.enabled}
          disabled={!canEdit}
          onChange={(e) => set('enabled', e.target.checked)}
          className="h-4 w-4 accent-brand-600"
        />
        <label htmlFor={ids.enabled} className="text-sm font-medium text-slate-700">
          Opt customers out when they send a keyword
        </label>
      </div>
      <KeywordChips
        label="Opt-out keywords"
        example="e.g. PARAR"
        values={form.keywords}
        others={form.resubscribeKeywords}
        disabled={!canEdit}
        onChange={(v) => set('keywords', v)}
      />
      <div className="space-y-1">
        <label htmlFor={ids.confirmation} className="block text-sm font-medium text-slate-700">
          Confirmation reply
        </label>
        <textarea
          id={ids.confirmation}
          required
          rows={3}
          maxLength={1024}
          disabled={!canEdit}
          value={form.confirmation}
          onChange={(e) => set('confirmation', e.target.value)}
          aria-describedby={`${ids.confirmation}-hint`}
          className={inputClass}
        />
        <p id={`${ids.confirmation}-hint`} className="text-xs text-slate-500">
          Sent right away, inside the customer&apos;s 24-hour window. {form.confirmation.length}/1024
        </p>
      </div>
      <KeywordChips
        label="Re-subscribe keywords"
        example="e.g. VOLTAR"
        hint="Clears the opt-out when a customer sends one of these."
        values={form.resubscribeKeywords}
        others={form.keywords}
        disabled={!canEdit}
        onChange={(v) => set('resubscribeKeywords', v)}
      />
      <SaveProblems error={save.error} />
      {canEdit && (
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          Save opt-out settings
        </button>
      )}
    </form>
  )
}

/** A keyword list as removable chips plus an input that adds one (Enter or the button). */
function KeywordChips(props: { label: string; example: string; hint?: string; values: string[]; others: string[]; disabled: boolean; onChange(values: string[]): void }) {
  const { label, example, hint, values, others, disabled, onChange } = props
  const inputId = useId()
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | null>(null)

  const add = () => {
    const keyword = draft.trim()
    const form = normalizeKeyword(keyword)
    const clash = [...values, ...others].find((k) => normalizeKeyword(k) === form)
    const reason = !form
      ? 'A keyword needs at least one letter or digit'
      : keyword.length > 40
        ? 'A keyword is at most 40 characters'
        : clash
          ? `"${keyword}" is already a keyword (${clash})`
          : values.length >= MAX_KEYWORDS
            ? `At most ${MAX_KEYWORDS} keywords`
            : null
    setProblem(reason)
    if (reason) return
    onChange([...values, keyword])
    setDraft('')
  }

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <ul aria-label={label} className="flex flex-wrap gap-2">
        {values.map((k) => (
          <li key={k} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pl-3 pr-1 text-sm">
            {k}
            {!disabled && (
              <button type="button" aria-label={`Remove ${k}`} onClick={() => onChange(values.filter((v) => v !== k))} className="rounded-full p-0.5 hover:bg-slate-200">
                <X aria-hidden className="h-3.5 w-3.5" />
              </button>
            )}
          </li>
        ))}
        {values.length === 0 && <li className="text-sm text-slate-500">None</li>}
      </ul>
      {!disabled && (
        <div className="flex max-w-md gap-2">
          <label htmlFor={inputId} className="sr-only">
            Add to {label.toLowerCase()}
          </label>
          <input
            id={inputId}
            value={draft}
            maxLength={40}
            placeholder={example}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${inputId}-error` : undefined}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return
              e.preventDefault()
              add()
            }}
            className={inputClass}
          />
          <button type="button" onClick={add} className={`${secondaryButton} inline-flex shrink-0 items-center gap-1`}>
            <Plus aria-hidden className="h-4 w-4" /> Add<span className="sr-only"> to {label.toLowerCase()}</span>
          </button>
        </div>
      )}
      {problem && (
        <p id={`${inputId}-error`} className="text-sm text-red-600">
          {problem}
        </p>
      )}
    </fieldset>
  )
}
