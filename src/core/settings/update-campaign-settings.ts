// An admin's change to the campaign settings: merged into tenants.settings with `||`, so other keys stay,
// and recorded in the audit log. RLS lets only owners and admins of the tenant update the row.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import { readCampaignSettings, type CampaignSettings, type CampaignSettingsPatch } from './campaign-settings'

export async function updateCampaignSettings(tx: TransactionSql, tenantId: string, patch: CampaignSettingsPatch): Promise<CampaignSettings> {
  const [tenant] = await tx<{ settings: unknown }[]>`
    update public.tenants set settings = settings || ${tx.json(patch as never)}
    where id = ${tenantId} returning settings`
  if (!tenant) throw notFound('Workspace')
  // actor_id defaults to the signed-in user, the one the audit policy accepts.
  await tx`
    insert into public.audit_log (tenant_id, action, target_type, target_id, details)
    values (${tenantId}, 'settings.campaigns_updated', 'tenant', ${tenantId}, ${tx.json({ sections: Object.keys(patch) })})`
  return readCampaignSettings(tenant.settings)
}
