'use client'
// The contacts list: search and filters, infinite scroll, row selection (or every match of the
// filter), bulk tags, export of the filtered list, and links to import and to each contact.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Download, Plus, Upload } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { CampaignFromSelection } from '@/ui/campaigns/campaign-from-selection'
import { contactKeys, phoneLabel, EMPTY_FILTER, filterParams, type ContactFilterForm } from './contacts-api'
import { NewContactForm } from './new-contact-form'
import { useContactList } from './use-contacts'
import { useTenantId } from '@/ui/api/use-session'

const inputClass = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600'
const buttonClass = 'inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50'
const primaryClass = 'inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50'

type Selection = { mode: 'ids'; ids: Set<string> } | { mode: 'all' }
const NOTHING: Selection = { mode: 'ids', ids: new Set() }

export function ContactList() {
  const [form, setForm] = useState<ContactFilterForm>(EMPTY_FILTER)
  const filter = useDebounced(form, 300)
  const list = useContactList(filter)
  const contacts = useMemo(() => list.data?.pages.flatMap((p) => p.contacts) ?? [], [list.data])
  const total = list.data?.pages[0]?.total
  // A selection belongs to the filter it was made under: a new filter means a new set of rows.
  const [selected, setSelected] = useState<{ filter: ContactFilterForm; selection: Selection }>({ filter, selection: NOTHING })
  const selection = selected.filter === filter ? selected.selection : NOTHING
  const setSelection = (next: Selection | ((s: Selection) => Selection)) =>
    setSelected({ filter, selection: typeof next === 'function' ? next(selection) : next })
  const [creating, setCreating] = useState(false)

  const selectedCount = selection.mode === 'all' ? (total?.count ?? contacts.length) : selection.ids.size
  const allLoadedSelected = contacts.length > 0 && (selection.mode === 'all' || contacts.every((c) => selection.ids.has(c.id)))
  const toggleAllLoaded = () =>
    setSelection(allLoadedSelected ? NOTHING : { mode: 'ids', ids: new Set(contacts.map((c) => c.id)) })
  const toggle = (id: string) =>
    setSelection((s) => {
      const ids = new Set(s.mode === 'ids' ? s.ids : contacts.map((c) => c.id))
      if (ids.has(id)) ids.delete(id)
      else ids.add(id)
      return { mode: 'ids', ids }
    })

  const exportHref = `/api/contacts/export?${new URLSearchParams(filterParams(filter))}`

  return (
    <section aria-labelledby="contacts-title" className="mx-auto max-w-6xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 id="contacts-title" className="text-2xl font-semibold">
            Contacts
          </h1>
          <p className="text-sm text-slate-500" aria-live="polite">
            {total ? `${total.count.toLocaleString()}${total.capped ? '+' : ''} matching` : list.isPending ? 'Loading…' : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="button" className={primaryClass} onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            <Plus aria-hidden className="h-4 w-4" /> New contact
          </button>
          <Link href="/contacts/import" className={buttonClass}>
            <Upload aria-hidden className="h-4 w-4" /> Import CSV
          </Link>
          <a href={exportHref} download className={buttonClass}>
            <Download aria-hidden className="h-4 w-4" /> Export CSV
          </a>
        </div>
      </div>

      {creating && <NewContactForm onDone={() => setCreating(false)} />}
      <FilterBar value={form} onChange={setForm} />

      {selectedCount > 0 && (
        <BulkTagBar
          selection={selection}
          count={selectedCount}
          filter={filter}
          canSelectAll={selection.mode === 'ids' && allLoadedSelected && list.hasNextPage}
          totalLabel={total ? `${total.count.toLocaleString()}${total.capped ? '+' : ''}` : ''}
          onSelectAll={() => setSelection({ mode: 'all' })}
          onClear={() => setSelection(NOTHING)}
        />
      )}

      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">Contacts</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="w-10 px-3 py-2">
                <input type="checkbox" aria-label="Select all loaded contacts" checked={allLoadedSelected} onChange={toggleAllLoaded} className="h-4 w-4 accent-brand-600" />
              </th>
              <th scope="col" className="px-3 py-2">Name</th>
              <th scope="col" className="px-3 py-2">Phone</th>
              <th scope="col" className="hidden px-3 py-2 md:table-cell">Email</th>
              <th scope="col" className="px-3 py-2">Tags</th>
              <th scope="col" className="px-3 py-2">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {contacts.map((c) => (
              <tr key={c.id} className="hover:bg-slate-50">
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${c.name ?? phoneLabel(c.waId)}`}
                    checked={selection.mode === 'all' || selection.ids.has(c.id)}
                    onChange={() => toggle(c.id)}
                    className="h-4 w-4 accent-brand-600"
                  />
                </td>
                <td className="px-3 py-2">
                  <Link href={`/contacts/${c.id}`} className="font-medium text-brand-700 hover:underline">
                    {c.name ?? 'Unnamed'}
                  </Link>
                </td>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{phoneLabel(c.waId)}</td>
                <td className="hidden px-3 py-2 md:table-cell">{c.email ?? ''}</td>
                <td className="px-3 py-2">
                  <TagList tags={c.tags} />
                </td>
                <td className="px-3 py-2">
                  {c.blocked && <Badge tone="red">Blocked</Badge>}
                  {c.optedOutAt && <Badge tone="amber">Opted out</Badge>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!list.isPending && contacts.length === 0 && <p className="p-4 text-sm text-slate-500">No contacts match.</p>}
        {list.isError && (
          <p role="alert" className="p-4 text-sm text-red-600">
            {list.error.message}
          </p>
        )}
        <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoad={() => void list.fetchNextPage()} />
      </div>
    </section>
  )
}

function FilterBar({ value, onChange }: { value: ContactFilterForm; onChange(v: ContactFilterForm): void }) {
  const id = useId()
  const set = (key: keyof ContactFilterForm) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value })
  const label = 'mb-1 block text-xs font-medium text-slate-600'
  return (
    <form role="search" aria-label="Filter contacts" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-6" onSubmit={(e) => e.preventDefault()}>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-q`} className={label}>
          Search
        </label>
        <input id={`${id}-q`} type="search" placeholder="Name, phone or email" value={value.q} onChange={set('q')} className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-tags`} className={label}>
          Tags (all of, comma-separated)
        </label>
        <input id={`${id}-tags`} value={value.tags} onChange={set('tags')} className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-fk`} className={label}>
          Custom field
        </label>
        <input id={`${id}-fk`} placeholder="e.g. city" value={value.fieldKey} onChange={set('fieldKey')} className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-fv`} className={label}>
          Field value
        </label>
        <input id={`${id}-fv`} value={value.fieldValue} onChange={set('fieldValue')} disabled={!value.fieldKey} className={inputClass} />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label htmlFor={`${id}-opt`} className={label}>
            Opted out
          </label>
          <select id={`${id}-opt`} value={value.optedOut} onChange={set('optedOut')} className={inputClass}>
            <option value="">Any</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-blk`} className={label}>
            Blocked
          </label>
          <select id={`${id}-blk`} value={value.blocked} onChange={set('blocked')} className={inputClass}>
            <option value="">Any</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </select>
        </div>
      </div>
    </form>
  )
}

function BulkTagBar(props: {
  selection: Selection
  count: number
  filter: ContactFilterForm
  canSelectAll: boolean
  totalLabel: string
  onSelectAll(): void
  onClear(): void
}) {
  const id = useId()
  const tenantId = useTenantId()
  const queryClient = useQueryClient()
  const [tag, setTag] = useState('')
  const apply = useMutation({
    mutationFn: (action: 'add' | 'remove') =>
      api<{ updated: number }>('/api/contacts/bulk-tags', {
        body: {
          ...(props.selection.mode === 'all' ? { filter: filterParams(props.filter) } : { contactIds: [...props.selection.ids] }),
          [action]: [tag.trim()],
        },
      }),
    onSuccess: ({ updated }, action) => {
      toast.success(`${action === 'add' ? 'Tagged' : 'Untagged'} ${updated.toLocaleString()} contact${updated === 1 ? '' : 's'}`)
      setTag('')
      void queryClient.invalidateQueries({ queryKey: contactKeys.all(tenantId) })
    },
    onError: (error) => toast.error(error.message),
  })
  return (
    <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-end gap-3 rounded-xl border border-brand-100 bg-brand-50 p-3 text-sm">
      <p className="font-medium text-brand-700" aria-live="polite">
        {props.selection.mode === 'all' ? `All ${props.totalLabel} matching contacts selected` : `${props.count.toLocaleString()} selected`}
      </p>
      {props.canSelectAll && (
        <button type="button" className="text-brand-700 underline" onClick={props.onSelectAll}>
          Select all {props.totalLabel} matching
        </button>
      )}
      <div className="flex items-end gap-2">
        <div>
          <label htmlFor={`${id}-tag`} className="mb-1 block text-xs font-medium text-slate-600">
            Tag
          </label>
          <input id={`${id}-tag`} value={tag} onChange={(e) => setTag(e.target.value)} className={inputClass} />
        </div>
        <button type="button" className={primaryClass} disabled={!tag.trim() || apply.isPending} onClick={() => apply.mutate('add')}>
          Add tag
        </button>
        <button type="button" className={buttonClass} disabled={!tag.trim() || apply.isPending} onClick={() => apply.mutate('remove')}>
          Remove tag
        </button>
      </div>
      {props.selection.mode === 'ids' && <CampaignFromSelection contactIds={[...props.selection.ids]} className={buttonClass} />}
      <button type="button" className="ml-auto text-slate-600 underline" onClick={props.onClear}>
        Clear selection
      </button>
    </div>
  )
}

/** Loads the next page when it scrolls into view; the button is there for keyboards and as a fallback. */
function LoadMore({ hasMore, loading, onLoad }: { hasMore: boolean; loading: boolean; onLoad(): void }) {
  const ref = useRef<HTMLDivElement>(null)
  const load = useRef(onLoad)
  useEffect(() => {
    load.current = onLoad
  })
  useEffect(() => {
    const node = ref.current
    if (!node || !hasMore) return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) load.current()
    })
    observer.observe(node)
    return () => observer.disconnect()
  }, [hasMore])
  if (!hasMore) return null
  return (
    <div ref={ref} className="flex justify-center p-3">
      <button type="button" className={buttonClass} disabled={loading} onClick={onLoad}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  )
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((t) => (
        <li key={t} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
          {t}
        </li>
      ))}
    </ul>
  )
}

export function Badge({ tone, children }: { tone: 'red' | 'amber'; children: string }) {
  const colours = tone === 'red' ? 'bg-red-50 text-red-700' : 'bg-amber-50 text-amber-800'
  return <span className={`mr-1 inline-block rounded-full px-2 py-0.5 text-xs font-medium ${colours}`}>{children}</span>
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return debounced
}
