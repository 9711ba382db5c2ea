'use client'
// The workspace's message templates as synced from Meta: filter and search, a WhatsApp-style preview,
// "Sync from Meta", and for owners and admins a form for new templates and deletion.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Plus, RefreshCw, Search, Trash2 } from 'lucide-react'
import { useId, useMemo, useState } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { useActiveRole, useSession } from '@/ui/api/use-session'
import { buttonClass } from '@/ui/components/field'
import { inboxKeys } from '@/ui/inbox/inbox-api'
import { useRealtime } from '@/ui/realtime/use-realtime'
import { TemplateForm } from './template-form'
import { TemplatePreview } from './template-preview'
import { isAdmin, metaLabel, STATUS_STYLE, TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, templateKeys, type SyncResponse, type TemplateRow, type TemplatesResponse } from './templates-api'

const selectClass = 'block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm'

export function TemplatesPage() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const admin = isAdmin(useActiveRole())
  const queryClient = useQueryClient()
  // Meta's review outcome (approved, rejected with its reason, paused) shows as it arrives.
  useRealtime((signal) => {
    if (signal.type !== 'template' && signal.type !== 'resync') return
    void queryClient.invalidateQueries({ queryKey: templateKeys.all(tenantId) })
    void queryClient.invalidateQueries({ queryKey: inboxKeys.templates(tenantId) })
  })
  const templates = useQuery({
    queryKey: templateKeys.all(tenantId),
    queryFn: () => api<TemplatesResponse>('/api/templates'),
    enabled: tenantId !== null,
  })
  const [status, setStatus] = useState('')
  const [category, setCategory] = useState('')
  const [search, setSearch] = useState('')
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const ids = { status: useId(), category: useId(), search: useId() }

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase()
    return (templates.data?.templates ?? []).filter(
      (t) => (!status || t.status === status) && (!category || t.category === category) && (!needle || t.name.includes(needle) || t.language.toLowerCase().includes(needle)),
    )
  }, [templates.data, status, category, search])
  const selected = visible.find((t) => t.id === selectedId) ?? visible[0]

  const sync = useMutation({
    mutationFn: () => api<SyncResponse>('/api/templates/sync', { method: 'POST' }),
    onSuccess: ({ accounts }) => {
      const synced = accounts.reduce((sum, a) => sum + (a.upserted ?? 0), 0)
      const refused = accounts.filter((a) => a.error)
      toast.success(`Synced ${synced} template${synced === 1 ? '' : 's'} from ${accounts.length - refused.length} account${accounts.length - refused.length === 1 ? '' : 's'}`)
      for (const a of refused) toast.error(`Account ${a.wabaId}: ${a.error}`)
      void queryClient.invalidateQueries({ queryKey: templateKeys.all(tenantId) })
    },
    onError: (error) => toast.error(error.message),
  })

  return (
    <section aria-labelledby="templates-title" className="mx-auto max-w-6xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="templates-title" className="text-2xl font-semibold">
          Templates
        </h1>
        <div className="flex flex-wrap gap-2">
          {admin && (
            <button type="button" className={buttonClass} onClick={() => sync.mutate()} disabled={sync.isPending}>
              <RefreshCw aria-hidden className={`h-4 w-4 ${sync.isPending ? 'animate-spin' : ''}`} />
              {sync.isPending ? 'Syncing…' : 'Sync from Meta'}
            </button>
          )}
          {admin && (
            <button
              type="button"
              onClick={() => setCreating((c) => !c)}
              aria-expanded={creating}
              className="inline-flex items-center gap-2 rounded-md border border-brand-600 px-4 py-2 text-sm font-semibold text-brand-700 hover:bg-brand-50"
            >
              <Plus aria-hidden className="h-4 w-4" /> New template
            </button>
          )}
        </div>
      </div>

      {creating && (
        <TemplateForm
          onCreated={() => {
            setCreating(false)
            void queryClient.invalidateQueries({ queryKey: templateKeys.all(tenantId) })
          }}
          onCancel={() => setCreating(false)}
        />
      )}

      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_10rem]">
        <div className="space-y-1">
          <label htmlFor={ids.search} className="block text-sm font-medium text-slate-700">
            Search templates
          </label>
          <div className="relative">
            <Search aria-hidden className="pointer-events-none absolute left-2 top-2.5 h-4 w-4 text-slate-400" />
            <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} className={`${selectClass} pl-8`} placeholder="Name or language" />
          </div>
        </div>
        <div className="space-y-1">
          <label htmlFor={ids.status} className="block text-sm font-medium text-slate-700">
            Status
          </label>
          <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value)} className={selectClass}>
            <option value="">All statuses</option>
            {TEMPLATE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {metaLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={ids.category} className="block text-sm font-medium text-slate-700">
            Category
          </label>
          <select id={ids.category} value={category} onChange={(e) => setCategory(e.target.value)} className={selectClass}>
            <option value="">All categories</option>
            {TEMPLATE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {metaLabel(c)}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <TemplateTable templates={visible} selectedId={selected?.id} onSelect={setSelectedId} loading={templates.isPending} />
        {selected && <TemplateDetail template={selected} canDelete={admin} tenantId={tenantId} />}
      </div>
    </section>
  )
}

function TemplateTable({ templates, selectedId, onSelect, loading }: { templates: TemplateRow[]; selectedId?: string; onSelect: (id: string) => void; loading: boolean }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Message templates</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">Name</th>
            <th scope="col" className="px-4 py-2">Language</th>
            <th scope="col" className="hidden px-4 py-2 sm:table-cell">Category</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="hidden px-4 py-2 md:table-cell">Quality</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {templates.map((t) => (
            <tr key={t.id} className={t.id === selectedId ? 'bg-brand-50/60' : undefined}>
              <th scope="row" className="px-4 py-2 font-medium">
                <button
                  type="button"
                  onClick={() => onSelect(t.id)}
                  aria-current={t.id === selectedId ? 'true' : undefined}
                  className="text-left text-brand-700 hover:underline"
                  aria-label={`Preview ${t.name} (${t.language})`}
                >
                  {t.name}
                </button>
                {t.rejectedReason && t.rejectedReason !== 'NONE' && <p className="text-xs font-normal text-red-600">Rejected: {t.rejectedReason}</p>}
              </th>
              <td className="px-4 py-2">{t.language}</td>
              <td className="hidden px-4 py-2 sm:table-cell">{metaLabel(t.category)}</td>
              <td className="px-4 py-2">
                <StatusBadge status={t.status} />
              </td>
              <td className="hidden px-4 py-2 md:table-cell">{t.qualityScore ? metaLabel(t.qualityScore) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {loading && <p className="p-4 text-sm text-slate-500">Loading templates…</p>}
      {!loading && templates.length === 0 && <p className="p-4 text-sm text-slate-500">No templates match. Sync from Meta to fetch your approved templates.</p>}
    </div>
  )
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[status] ?? STATUS_STYLE.DISABLED}`}>
      {metaLabel(status)}
    </span>
  )
}

function TemplateDetail({ template, canDelete, tenantId }: { template: TemplateRow; canDelete: boolean; tenantId: string | null }) {
  const queryClient = useQueryClient()
  const remove = useMutation({
    mutationFn: () => api(`/api/templates/${template.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.success(`Deleted ${template.name}`)
      void queryClient.invalidateQueries({ queryKey: templateKeys.all(tenantId) })
    },
    onError: (error) => toast.error(error.message),
  })
  return (
    <aside aria-label={`Template ${template.name}`} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 lg:sticky lg:top-4 lg:self-start">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold break-all">{template.name}</h2>
          <p className="text-xs text-slate-500">
            {template.language} · {metaLabel(template.category)} · WABA {template.wabaId}
          </p>
        </div>
        <StatusBadge status={template.status} />
      </div>
      <TemplatePreview components={template.components} />
      {canDelete && (
        <button
          type="button"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete the template "${template.name}" (${template.language}) at Meta? This cannot be undone.`)) remove.mutate()
          }}
          className="inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
        >
          <Trash2 aria-hidden className="h-4 w-4" /> {remove.isPending ? 'Deleting…' : 'Delete template'}
        </button>
      )}
    </aside>
  )
}
