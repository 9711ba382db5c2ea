'use client'
// Step 1: who receives the campaign. Either contacts chosen by tags and custom fields, or a list (a CSV of
// numbers) narrowed by the same rules; the eligible count and exclusions follow every saved change.
import type { UseQueryResult } from '@tanstack/react-query'
import { Plus, X } from 'lucide-react'
import Link from 'next/link'
import { useId, useState } from 'react'
import { FIELD_OPERATORS, type Audience, type FieldFilter } from '@/core/campaigns/campaign-schemas'
import { inputClass, secondaryButton } from '@/ui/inbox/modal'
import { AudienceCount } from './audience-count'
import { AudienceListUpload } from './audience-list-upload'
import type { CampaignDetail, CampaignReview } from './campaigns-api'
import type { DraftForm } from './use-draft-autosave'

const OPERATOR_LABEL: Record<FieldFilter['op'], string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  contains: 'contains',
  present: 'is set',
  absent: 'is not set',
}
const MAX_FIELD_FILTERS = 10

interface Props {
  campaign: CampaignDetail
  draft: DraftForm
  update(change: Partial<DraftForm>): void
  review: UseQueryResult<CampaignReview>
  save(): Promise<boolean>
  onListChanged(): void
}

export function AudienceStep({ campaign, draft, update, review, save, onListChanged }: Props) {
  const id = useId()
  const audience = draft.audience
  const set = (change: Partial<Audience>) => update({ audience: { ...audience, ...change } })

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="space-y-5">
        <fieldset className="space-y-2 rounded-xl border border-slate-200 bg-white p-4">
          <legend className="px-1 text-sm font-semibold">Who receives it</legend>
          {(
            [
              ['filter', 'Contacts matching rules', 'Tags and custom fields choose from all your contacts.'],
              ['list', 'A list', 'Upload a CSV of phone numbers; the rules below can narrow it further.'],
            ] as const
          ).map(([value, label, hint]) => (
            <label key={value} className="flex items-start gap-2 text-sm">
              <input type="radio" name={`${id}-source`} value={value} checked={audience.source === value} onChange={() => set({ source: value })} className="mt-1 accent-brand-600" />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-slate-500">{hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        {audience.source === 'list' && <AudienceListUpload campaignId={campaign.id} initialSize={campaign.listSize} beforeUpload={save} onChanged={onListChanged} />}

        <div className="grid gap-4 sm:grid-cols-2">
          <TagPicker
            legend="Include contacts tagged"
            hint={audience.source === 'filter' ? 'Any of these tags. Leave empty for every contact.' : 'Any of these tags. Leave empty to keep the whole list.'}
            tags={audience.includeTags}
            onChange={(includeTags) => set({ includeTags })}
          />
          <TagPicker legend="Exclude contacts tagged" hint="None of these tags." tags={audience.excludeTags} onChange={(excludeTags) => set({ excludeTags })} />
        </div>

        <FieldFilters filters={audience.fields} onChange={(fields) => set({ fields })} />
      </div>
      <div className="space-y-3 lg:sticky lg:top-4 lg:self-start">
        <AudienceCount review={review} />
        <p className="text-xs text-slate-500">Opted-out, blocked and invalid contacts are never messaged, whatever the rules say.</p>
      </div>
    </div>
  )
}

function TagPicker({ legend, hint, tags, onChange }: { legend: string; hint: string; tags: string[]; onChange(tags: string[]): void }) {
  const id = useId()
  const [text, setText] = useState('')
  const add = () => {
    const tag = text.trim()
    if (tag && !tags.includes(tag)) onChange([...tags, tag])
    setText('')
  }
  return (
    <fieldset className="space-y-2 rounded-xl border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      <p className="text-xs text-slate-500">{hint}</p>
      {tags.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label={legend}>
          {tags.map((t) => (
            <li key={t} className="flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2 pr-1 text-xs text-slate-700">
              {t}
              <button type="button" aria-label={`Remove ${t} from ${legend.toLowerCase()}`} onClick={() => onChange(tags.filter((x) => x !== t))} className="rounded-full p-0.5 hover:bg-slate-200">
                <X aria-hidden className="h-3 w-3" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2">
        <label htmlFor={`${id}-tag`} className="sr-only">
          Tag to {legend.split(' ')[0]!.toLowerCase()}
        </label>
        <input
          id={`${id}-tag`}
          value={text}
          maxLength={64}
          placeholder="Tag"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              add()
            }
          }}
          className={inputClass}
        />
        <button type="button" className={secondaryButton} onClick={add} disabled={!text.trim()} aria-label={`Add tag to ${legend.toLowerCase()}`}>
          Add
        </button>
      </div>
    </fieldset>
  )
}

function FieldFilters({ filters, onChange }: { filters: FieldFilter[]; onChange(filters: FieldFilter[]): void }) {
  const set = (i: number, change: Partial<FieldFilter>) => onChange(filters.map((f, j) => (j === i ? { ...f, ...change } : f)))
  return (
    <fieldset className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold">Custom field rules</legend>
      <p className="text-xs text-slate-500">Contacts must match every rule. Custom fields are the extra columns of your contacts (e.g. city, plan).</p>
      {filters.map((f, i) => {
        const needsValue = f.op !== 'present' && f.op !== 'absent'
        return (
          <div key={i} className="grid gap-2 sm:grid-cols-[1fr_10rem_1fr_auto]">
            <input aria-label={`Rule ${i + 1} field`} placeholder="Field, e.g. city" value={f.key} maxLength={64} onChange={(e) => set(i, { key: e.target.value })} className={inputClass} />
            <select aria-label={`Rule ${i + 1} condition`} value={f.op} onChange={(e) => set(i, { op: e.target.value as FieldFilter['op'] })} className={inputClass}>
              {FIELD_OPERATORS.map((op) => (
                <option key={op} value={op}>
                  {OPERATOR_LABEL[op]}
                </option>
              ))}
            </select>
            {needsValue ? (
              <input aria-label={`Rule ${i + 1} value`} placeholder="Value" value={f.value ?? ''} maxLength={200} onChange={(e) => set(i, { value: e.target.value })} className={inputClass} />
            ) : (
              <span aria-hidden />
            )}
            <button type="button" aria-label={`Remove rule ${i + 1}`} onClick={() => onChange(filters.filter((_, j) => j !== i))} className="justify-self-start rounded-md p-2 text-slate-500 hover:bg-slate-100">
              <X aria-hidden className="h-4 w-4" />
            </button>
          </div>
        )
      })}
      <button
        type="button"
        className={`${secondaryButton} inline-flex items-center gap-1`}
        disabled={filters.length >= MAX_FIELD_FILTERS}
        onClick={() => onChange([...filters, { key: '', op: 'equals', value: '' }])}
      >
        <Plus aria-hidden className="h-4 w-4" /> Add rule
      </button>
      <p className="text-xs text-slate-500">
        To hand-pick contacts instead, find them on the{' '}
        <Link href="/contacts" className="text-brand-700 underline">
          Contacts
        </Link>{' '}
        page, tick them and choose “Campaign to these contacts”.
      </p>
    </fieldset>
  )
}
