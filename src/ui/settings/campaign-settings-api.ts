// Response shape and query key of the campaign settings endpoint (GET/PUT /api/settings/campaigns).
import type { CampaignSettings, CampaignSettingsPatch } from '@/core/settings/campaign-settings'

export type CampaignSettingsResponse = CampaignSettings
export type { CampaignSettingsPatch }

export const campaignSettingsKeys = {
  all: (tenantId: string | null) => ['campaign-settings', tenantId] as const,
}
