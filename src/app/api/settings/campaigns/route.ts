import { campaignSettingsPatchSchema } from '@/core/settings/campaign-settings'
import { loadTenantCampaignSettings } from '@/core/settings/load-tenant-campaign-settings'
import { updateCampaignSettings } from '@/core/settings/update-campaign-settings'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant }) => loadTenantCampaignSettings(tx, tenant.id))

export const PUT = tenantRoute({ input: campaignSettingsPatchSchema, minRole: 'admin', maxBodyBytes: 64_000 }, async ({ tx, tenant, input }) =>
  updateCampaignSettings(tx, tenant.id, input),
)
