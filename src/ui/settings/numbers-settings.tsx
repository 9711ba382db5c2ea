'use client'
// Connected WhatsApp numbers with Meta's facts about each (quality, messaging tier, throughput), and for
// owners and admins the form that connects one with its phone-number id, WABA id and access token.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type ChangeEvent } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { useActiveRole, useSession } from '@/ui/api/use-session'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { numberKeys, QUALITY_DOT, tierLabel, useNumbers, type ConnectedNumber } from '@/ui/api/numbers'

export function NumbersSettings() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const role = useActiveRole()
  const numbers = useNumbers()

  return (
    <section aria-labelledby="numbers-title" className="mx-auto max-w-5xl space-y-8">
      <h1 id="numbers-title" className="text-2xl font-semibold">
        WhatsApp numbers
      </h1>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Connected numbers</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Number</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">Quality</th>
              <th scope="col" className="px-4 py-2">Messaging limit</th>
              <th scope="col" className="px-4 py-2">Throughput</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {numbers.data?.map((n) => <NumberRow key={n.id} number={n} />)}
          </tbody>
        </table>
        {numbers.isPending && <p className="p-4 text-sm text-slate-500">Loading numbers…</p>}
        {numbers.data?.length === 0 && <p className="p-4 text-sm text-slate-500">No number connected yet.</p>}
        {numbers.error && (
          <p role="alert" className="p-4 text-sm text-red-600">
            {numbers.error.message}
          </p>
        )}
      </div>
      {role === 'owner' || role === 'admin' ? (
        <ConnectForm tenantId={tenantId} />
      ) : (
        <p className="text-sm text-slate-500">Owners and admins connect numbers.</p>
      )}
    </section>
  )
}

function NumberRow({ number: n }: { number: ConnectedNumber }) {
  return (
    <tr>
      <th scope="row" className="px-4 py-2 font-medium">
        {n.displayPhoneNumber ?? n.phoneNumberId}
        <span className="block text-xs font-normal text-slate-500">
          {n.verifiedName ?? 'No verified name'} · WABA {n.wabaId}
        </span>
      </th>
      <td className="px-4 py-2 capitalize">{n.status.toLowerCase()}</td>
      <td className="px-4 py-2">
        <span className="inline-flex items-center gap-1.5 capitalize">
          <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${QUALITY_DOT[n.qualityRating ?? ''] ?? 'bg-slate-300'}`} />
          {n.qualityRating?.toLowerCase() ?? 'unknown'}
        </span>
      </td>
      <td className="px-4 py-2">{tierLabel(n.messagingLimitTier)}</td>
      <td className="px-4 py-2">{n.throughputMps ?? '—'} msg/s</td>
    </tr>
  )
}

const EMPTY = { phoneNumberId: '', wabaId: '', accessToken: '', sharedWithBusinessApp: false }

function ConnectForm({ tenantId }: { tenantId: string | null }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState(EMPTY)
  const connect = useMutation({
    mutationFn: () => api<{ number: { displayPhoneNumber?: string } }>('/api/numbers', { body: form }),
    onSuccess: () => {
      toast.success('Number connected')
      setForm(EMPTY)
      void queryClient.invalidateQueries({ queryKey: numberKeys.all(tenantId) })
    },
  })
  const errors = fieldErrors(connect.error)
  const set = (key: keyof typeof EMPTY) => (e: ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [key]: e.target.type === 'checkbox' ? e.target.checked : e.target.value }))
  // Meta's refusal (wrong token, number not in that WABA) carries no field path: shown as a whole.
  const refusal = connect.error && !errors.phoneNumberId && !errors.wabaId && !errors.accessToken ? connect.error.message : null

  return (
    <form
      aria-label="Connect a number"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
      onSubmit={(e) => {
        e.preventDefault()
        connect.mutate()
      }}
    >
      <h2 className="text-lg font-semibold">Connect a number</h2>
      <p className="text-sm text-slate-500">
        From Meta&apos;s WhatsApp Manager: the phone number id, its WhatsApp Business Account id, and a system-user access token with
        whatsapp_business_messaging and whatsapp_business_management. We check them with Meta before saving; the token is stored encrypted.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Phone number id" required inputMode="numeric" value={form.phoneNumberId} onChange={set('phoneNumberId')} error={errors.phoneNumberId} />
        <Field label="WhatsApp Business Account id" required inputMode="numeric" value={form.wabaId} onChange={set('wabaId')} error={errors.wabaId} />
      </div>
      <Field label="Access token" type="password" autoComplete="off" required value={form.accessToken} onChange={set('accessToken')} error={errors.accessToken} />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={form.sharedWithBusinessApp} onChange={set('sharedWithBusinessApp')} className="h-4 w-4 rounded border-slate-300" />
        Also used in the WhatsApp Business app (coexistence, 20 msg/s)
      </label>
      {refusal && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700">
          {refusal}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className={buttonClass} disabled={connect.isPending}>
          {connect.isPending ? 'Checking with Meta…' : 'Connect number'}
        </button>
        <span className="text-sm text-slate-400">Embedded signup with Facebook is not available yet.</span>
      </div>
    </form>
  )
}
