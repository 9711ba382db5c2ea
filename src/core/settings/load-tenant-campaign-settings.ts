// Loads a tenant's campaign settings (opt-out, pricing) with defaults applied, inside the caller's transaction.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import { readCampaignSettings, type CampaignSettings } from './campaign-settings'

export async function loadTenantCampaignSettings(tx: TransactionSql, tenantId: string): Promise<CampaignSettings> {
  const [tenant] = await tx<{ settings: unknown }[]>`select settings from public.tenants where id = ${tenantId}`
  if (!tenant) throw notFound('Workspace')
  return readCampaignSettings(tenant.settings)
}
