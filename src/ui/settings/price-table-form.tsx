'use client'
// The price table editor: a currency, and per template category a default price per delivered message
// plus per-country overrides, edited as rows and sent as the table the API stores.
import { Plus, Trash2 } from 'lucide-react'
import { useId, useState } from 'react'
import { PRICED_CATEGORIES, type PriceTable, type PricedCategory } from '@/core/pricing/price-table'
import { buttonClass } from '@/ui/components/field'
import { inputClass, secondaryButton } from '@/ui/inbox/modal'
import { SaveProblems, useSaveCampaignSettings } from './save-campaign-settings'

interface Row {
  key: number
  country: string
  price: string
}
interface CategoryForm {
  default: string
  rows: Row[]
}
type Form = { currency: string; categories: Record<PricedCategory, CategoryForm> }

const CATEGORY_LABEL: Record<PricedCategory, string> = { MARKETING: 'Marketing', UTILITY: 'Utility', AUTHENTICATION: 'Authentication' }

let nextKey = 0
const row = (country = '', price = ''): Row => ({ key: nextKey++, country, price })

function toForm(table: PriceTable): Form {
  const categories = Object.fromEntries(
    PRICED_CATEGORIES.map((c) => {
      const { default: fallback, ...countries } = table.rates[c]
      return [c, { default: String(fallback), rows: Object.entries(countries).map(([country, price]) => row(country, String(price))) }]
    }),
  ) as Form['categories']
  return { currency: table.currency, categories }
}

// Empty or non-numeric prices go to the server as they are (null), which names the field that is wrong.
const price = (text: string) => (text.trim() === '' ? null : Number(text))

function toTable(form: Form): PriceTable {
  const rates = Object.fromEntries(
    PRICED_CATEGORIES.map((c) => {
      const f = form.categories[c]
      return [c, { default: price(f.default), ...Object.fromEntries(f.rows.map((r) => [r.country.trim().toUpperCase(), price(r.price)])) }]
    }),
  )
  return { currency: form.currency.trim().toUpperCase(), rates } as PriceTable
}

export function PriceTableForm({ initial, canEdit, tenantId }: { initial: PriceTable; canEdit: boolean; tenantId: string | null }) {
  const currencyId = useId()
  const [form, setForm] = useState(() => toForm(initial))
  const save = useSaveCampaignSettings(tenantId, 'Price table')
  const setCategory = (c: PricedCategory, change: (f: CategoryForm) => CategoryForm) =>
    setForm((f) => ({ ...f, categories: { ...f.categories, [c]: change(f.categories[c]) } }))

  return (
    <form
      aria-labelledby="pricing-title"
      className="space-y-5 rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate({ pricing: toTable(form) })
      }}
    >
      <div className="space-y-1">
        <h2 id="pricing-title" className="text-lg font-semibold">
          Price table
        </h2>
        <p className="text-sm text-slate-500">
          What one delivered template message costs you, by category and recipient country. Campaigns use it to estimate their cost; the starting values are
          approximate list prices, so enter your own.
        </p>
      </div>
      <div className="max-w-[10rem] space-y-1">
        <label htmlFor={currencyId} className="block text-sm font-medium text-slate-700">
          Currency
        </label>
        <input
          id={currencyId}
          required
          maxLength={3}
          disabled={!canEdit}
          value={form.currency}
          onChange={(e) => setForm((f) => ({ ...f, currency: e.target.value }))}
          className={`${inputClass} uppercase`}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        {PRICED_CATEGORIES.map((c) => (
          <CategoryRates key={c} category={c} value={form.categories[c]} disabled={!canEdit} onChange={(change) => setCategory(c, change)} />
        ))}
      </div>
      <SaveProblems error={save.error} />
      {canEdit && (
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          Save price table
        </button>
      )}
    </form>
  )
}

function CategoryRates(props: { category: PricedCategory; value: CategoryForm; disabled: boolean; onChange(change: (f: CategoryForm) => CategoryForm): void }) {
  const { category, value, disabled, onChange } = props
  const label = CATEGORY_LABEL[category]
  const defaultId = useId()
  const setRow = (key: number, patch: Partial<Row>) => onChange((f) => ({ ...f, rows: f.rows.map((r) => (r.key === key ? { ...r, ...patch } : r)) }))

  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold text-slate-700">{label}</legend>
      <div className="space-y-1">
        <label htmlFor={defaultId} className="block text-sm font-medium text-slate-700">
          Default price
        </label>
        <input
          id={defaultId}
          type="number"
          min={0}
          step="any"
          required
          disabled={disabled}
          value={value.default}
          onChange={(e) => onChange((f) => ({ ...f, default: e.target.value }))}
          className={inputClass}
        />
      </div>
      <ul aria-label={`${label} prices by country`} className="space-y-2">
        {value.rows.map((r, i) => (
          <li key={r.key} className="flex items-center gap-2">
            <input
              aria-label={`${label} country ${i + 1}`}
              placeholder="BR"
              maxLength={2}
              required
              disabled={disabled}
              value={r.country}
              onChange={(e) => setRow(r.key, { country: e.target.value })}
              className={`${inputClass} w-16 uppercase`}
            />
            <input
              aria-label={`${label} price for ${r.country.trim().toUpperCase() || `country ${i + 1}`}`}
              type="number"
              min={0}
              step="any"
              required
              disabled={disabled}
              value={r.price}
              onChange={(e) => setRow(r.key, { price: e.target.value })}
              className={inputClass}
            />
            {!disabled && (
              <button
                type="button"
                aria-label={`Remove ${label.toLowerCase()} price for ${r.country.trim().toUpperCase() || `country ${i + 1}`}`}
                onClick={() => onChange((f) => ({ ...f, rows: f.rows.filter((x) => x.key !== r.key) }))}
                className="rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-red-700"
              >
                <Trash2 aria-hidden className="h-4 w-4" />
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <button type="button" onClick={() => onChange((f) => ({ ...f, rows: [...f.rows, row()] }))} className={`${secondaryButton} inline-flex items-center gap-1`}>
          <Plus aria-hidden className="h-4 w-4" /> Add a country<span className="sr-only"> to {label.toLowerCase()}</span>
        </button>
      )}
    </fieldset>
  )
}
