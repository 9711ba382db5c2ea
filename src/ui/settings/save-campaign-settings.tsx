'use client'
// Saving one section of the campaign settings, shared by the opt-out and price table forms.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { fieldErrors } from '@/ui/components/field-errors'
import { campaignSettingsKeys, type CampaignSettingsPatch, type CampaignSettingsResponse } from './campaign-settings-api'

/** Saves one section and puts the answer in the cache, so both forms see what is stored now. */
export function useSaveCampaignSettings(tenantId: string | null, what: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: CampaignSettingsPatch) => api<CampaignSettingsResponse>('/api/settings/campaigns', { method: 'PUT', body: patch }),
    onSuccess: (data) => {
      queryClient.setQueryData(campaignSettingsKeys.all(tenantId), data)
      toast.success(`${what} saved`)
    },
  })
}

/** The server's validation messages, one per line, or its error message. */
export function SaveProblems({ error }: { error: Error | null }) {
  if (!error) return null
  const fields = Object.entries(fieldErrors(error))
  const lines = fields.length ? fields.map(([path, message]) => `${path}: ${message}`) : [error.message]
  return (
    <ul role="alert" className="list-inside list-disc text-sm text-red-600">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  )
}
