'use client'
// Hand-picked audiences: contacts ticked on the contacts page become a new draft campaign's list, and
// the wizard opens on it. Supervisors and up only, like every campaign change.
import { useMutation } from '@tanstack/react-query'
import { Megaphone } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { toast } from 'sonner'
import { atLeast } from '@/core/tenancy/roles'
import { api } from '@/ui/api/api-client'
import { useActiveRole } from '@/ui/api/use-session'
import type { AudienceListResult, CampaignDetail } from './campaigns-api'

export function CampaignFromSelection({ contactIds, className }: { contactIds: string[]; className: string }) {
  const role = useActiveRole()
  const router = useRouter()
  const create = useMutation({
    mutationFn: async () => {
      const { campaign } = await api<{ campaign: CampaignDetail }>('/api/campaigns', {
        body: { name: `Campaign to ${contactIds.length.toLocaleString('en')} picked contacts`, audience: { source: 'list', includeTags: [], excludeTags: [], fields: [] } },
      })
      await api<AudienceListResult>(`/api/campaigns/${campaign.id}/audience/list`, { body: { contactIds } })
      return campaign.id
    },
    onSuccess: (id) => router.push(`/campaigns/${id}/edit`),
    onError: (error) => toast.error(error.message),
  })
  if (role === undefined || !atLeast(role, 'supervisor')) return null
  return (
    <button type="button" className={className} disabled={create.isPending || contactIds.length === 0} onClick={() => create.mutate()}>
      <Megaphone aria-hidden className="h-4 w-4" /> {create.isPending ? 'Creating…' : 'Campaign to these contacts'}
    </button>
  )
}
