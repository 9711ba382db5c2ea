'use client'
// API keys of the workspace for its own systems: owners and admins issue a key with a role and an
// optional expiry (the key is shown once, right after creation), see when each was last used, and revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Copy, KeyRound } from 'lucide-react'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { canGrant, type Role } from '@/core/tenancy/roles'
import { api } from '@/ui/api/api-client'
import { useActiveRole, useSession } from '@/ui/api/use-session'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { RoleSelect } from '@/ui/components/role-select'
import { apiKeyKeys, type ApiKeyItem, type ApiKeysResponse, type CreatedApiKey } from './api-keys-api'
import { dateTimeLabel } from '@/ui/components/date-time'

const EXPIRY_DAYS = [
  { label: 'Never', days: 0 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
]

export function ApiKeysSettings() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const role = useActiveRole()
  const admin = role === 'owner' || role === 'admin'
  const keys = useQuery({ queryKey: apiKeyKeys.all(tenantId), queryFn: () => api<ApiKeysResponse>('/api/api-keys'), enabled: tenantId !== null && admin })

  return (
    <section aria-labelledby="api-keys-title" className="mx-auto max-w-5xl space-y-8">
      <div className="space-y-1">
        <h1 id="api-keys-title" className="text-2xl font-semibold">
          API keys
        </h1>
        <p className="text-sm text-slate-500">
          Your systems call our REST API with <code className="rounded bg-slate-100 px-1">Authorization: Bearer cv_live_…</code>. A key acts for this workspace with
          its role, never more than the role its creator holds now.
        </p>
      </div>
      {!session ? null : !admin ? (
        <p className="text-sm text-slate-500">Only owners and admins manage API keys.</p>
      ) : (
        <>
          <CreateKeyForm tenantId={tenantId} myRole={role!} />
          <KeyTable keys={keys.data?.apiKeys ?? []} loading={keys.isPending} myRole={role!} tenantId={tenantId} />
        </>
      )}
    </section>
  )
}

function CreateKeyForm({ tenantId, myRole }: { tenantId: string | null; myRole: Role }) {
  const queryClient = useQueryClient()
  const ids = { role: useId(), expiry: useId() }
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const [days, setDays] = useState(0)
  const [created, setCreated] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: () =>
      api<CreatedApiKey>('/api/api-keys', {
        body: { name, role, ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}) },
      }),
    onSuccess: (data) => {
      setCreated(data.key)
      setName('')
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(tenantId) })
    },
  })
  const errors = fieldErrors(create.error)

  return (
    <form
      aria-label="Create an API key"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
      onSubmit={(e) => {
        e.preventDefault()
        create.mutate()
      }}
    >
      <h2 className="text-lg font-semibold">Create an API key</h2>
      <div className="grid gap-4 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-end">
        <Field label="Key name" required maxLength={100} placeholder="CRM sync" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <div className="space-y-1">
          <label htmlFor={ids.role} className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <RoleSelect id={ids.role} myRole={myRole} value={role} onChange={setRole} className="block w-full px-2 py-2" />
        </div>
        <div className="space-y-1">
          <label htmlFor={ids.expiry} className="block text-sm font-medium text-slate-700">
            Expires
          </label>
          <select id={ids.expiry} value={days} onChange={(e) => setDays(Number(e.target.value))} className="block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm">
            {EXPIRY_DAYS.map((o) => (
              <option key={o.days} value={o.days}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          <KeyRound aria-hidden className="h-4 w-4" /> Create key
        </button>
      </div>
      {create.error && !errors.name && (
        <p role="alert" className="text-sm text-red-600">
          {create.error.message}
        </p>
      )}
      {created && (
        <div role="status" className="space-y-2 rounded-md bg-brand-50 p-3 text-sm">
          <p className="font-medium text-brand-700">Copy this key now. It is shown only once and cannot be recovered.</p>
          <div className="flex gap-2">
            <input aria-label="New API key" readOnly value={created} onFocus={(e) => e.target.select()} className="w-full rounded border border-brand-100 bg-white px-2 py-1 font-mono text-xs" />
            <button
              type="button"
              aria-label="Copy the key"
              onClick={() => navigator.clipboard.writeText(created).then(() => toast.success('Key copied'), () => toast.error('Copy failed; select the key and copy it'))}
              className="rounded-md border border-brand-100 bg-white px-2 hover:bg-brand-100"
            >
              <Copy aria-hidden className="h-4 w-4" />
            </button>
          </div>
          <button type="button" onClick={() => setCreated(null)} className="text-brand-700 underline">
            I have stored it
          </button>
        </div>
      )}
    </form>
  )
}

function keyState(key: ApiKeyItem): { label: string; className: string } {
  if (key.revokedAt) return { label: 'Revoked', className: 'text-slate-500' }
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return { label: 'Expired', className: 'text-amber-700' }
  return { label: 'Active', className: 'text-brand-700' }
}

const formatDate = (value: string | null, fallback: string) => (value ? dateTimeLabel(value) : fallback)

function KeyTable({ keys, loading, myRole, tenantId }: { keys: ApiKeyItem[]; loading: boolean; myRole: Role; tenantId: string | null }) {
  const queryClient = useQueryClient()
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.success('Key revoked')
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(tenantId) })
    },
    onError: (error) => toast.error(error.message),
  })
  // `relative`: the absolutely positioned sr-only header is clipped by this scroller, not widening the page.
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">Name</th>
            <th scope="col" className="px-4 py-2">Key</th>
            <th scope="col" className="px-4 py-2">Role</th>
            <th scope="col" className="hidden px-4 py-2 md:table-cell">Created by</th>
            <th scope="col" className="px-4 py-2">Last used</th>
            <th scope="col" className="hidden px-4 py-2 sm:table-cell">Expires</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => {
            const state = keyState(k)
            return (
              <tr key={k.id}>
                <th scope="row" className="px-4 py-2 font-medium">
                  {k.name}
                </th>
                <td className="px-4 py-2 font-mono text-xs">{k.prefix}…</td>
                <td className="px-4 py-2 capitalize">{k.role}</td>
                <td className="hidden px-4 py-2 md:table-cell">{k.createdByEmail ?? '—'}</td>
                <td className="px-4 py-2">{formatDate(k.lastUsedAt, 'Never')}</td>
                <td className="hidden px-4 py-2 sm:table-cell">{formatDate(k.expiresAt, 'Never')}</td>
                <td className={`px-4 py-2 ${state.className}`}>{state.label}</td>
                <td className="px-4 py-2 text-right">
                  {!k.revokedAt && canGrant(myRole, k.role) && (
                    <button
                      type="button"
                      disabled={revoke.isPending}
                      aria-label={`Revoke ${k.name}`}
                      onClick={() => {
                        if (window.confirm(`Revoke "${k.name}"? Anything using it stops working immediately.`)) revoke.mutate(k.id)
                      }}
                      className="rounded-md px-2 py-1 font-medium text-red-700 hover:bg-red-50"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {loading && <p className="p-4 text-sm text-slate-500">Loading keys…</p>}
      {!loading && keys.length === 0 && <p className="p-4 text-sm text-slate-500">No API keys yet.</p>}
    </div>
  )
}
