'use client'
// Starts a campaign: a name and the number it sends from make a draft, then the wizard takes over.
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useId, useState } from 'react'
import { campaignDraftSchema } from '@/core/campaigns/campaign-schemas'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole } from '@/ui/api/use-session'
import { FormProblems, inputClass, primaryButton, secondaryButton } from '@/ui/inbox/modal'
import { numberLabel } from './number-label'
import { useCreateCampaign } from './use-campaigns'
import { useNumbers } from '@/ui/api/numbers'

export function NewCampaignForm() {
  const id = useId()
  const router = useRouter()
  const role = useActiveRole()
  const numbers = useNumbers()
  const create = useCreateCampaign()
  const [name, setName] = useState('')
  const [numberId, setNumberId] = useState('')
  const [problems, setProblems] = useState<string[]>([])
  const chosenNumber = numberId || (numbers.data?.length === 1 ? numbers.data[0]!.id : '')

  if (role !== undefined && !atLeast(role, 'supervisor'))
    return (
      <section aria-labelledby={`${id}-title`} className="mx-auto max-w-xl space-y-3">
        <h1 id={`${id}-title`} className="text-2xl font-semibold">
          New campaign
        </h1>
        <p className="text-sm text-slate-600">Supervisors, admins and owners can create campaigns.</p>
        <Link href="/campaigns" className={secondaryButton}>
          Back to campaigns
        </Link>
      </section>
    )

  return (
    <section aria-labelledby={`${id}-title`} className="mx-auto max-w-xl space-y-4">
      <h1 id={`${id}-title`} className="text-2xl font-semibold">
        New campaign
      </h1>
      <form
        className="space-y-4 rounded-xl border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault()
          const parsed = campaignDraftSchema.safeParse({ name, numberId: chosenNumber || null })
          if (!parsed.success) {
            setProblems(parsed.error.issues.map((i) => (i.path[0] === 'name' ? 'Give the campaign a name.' : `${i.path.join('.')}: ${i.message}`)))
            return
          }
          setProblems([])
          create.mutate(parsed.data, {
            onSuccess: (campaign) => router.push(`/campaigns/${campaign.id}/edit`),
            onError: (error) => setProblems([error.message]),
          })
        }}
      >
        <div>
          <label htmlFor={`${id}-name`} className="mb-1 block text-sm font-medium text-slate-700">
            Campaign name
          </label>
          <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} className={inputClass} placeholder="e.g. Spring sale reminder" />
        </div>
        <div>
          <label htmlFor={`${id}-number`} className="mb-1 block text-sm font-medium text-slate-700">
            Send from
          </label>
          <select id={`${id}-number`} value={chosenNumber} onChange={(e) => setNumberId(e.target.value)} className={inputClass} disabled={numbers.isPending}>
            <option value="">{numbers.isPending ? 'Fetching numbers…' : 'Choose later'}</option>
            {numbers.data?.map((n) => (
              <option key={n.id} value={n.id}>
                {numberLabel(n)}
              </option>
            ))}
          </select>
          {numbers.data?.length === 0 && (
            <p className="mt-1 text-sm text-amber-700">
              No WhatsApp number is connected yet; connect one under{' '}
              <Link href="/settings/numbers" className="underline">
                Numbers
              </Link>
              .
            </p>
          )}
        </div>
        <FormProblems problems={problems} />
        <div className="flex justify-end gap-2">
          <Link href="/campaigns" className={secondaryButton}>
            Cancel
          </Link>
          <button type="submit" className={primaryButton} disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create draft'}
          </button>
        </div>
      </form>
    </section>
  )
}
