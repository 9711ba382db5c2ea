// Every workspace on the platform, read-only, for platform admins (RLS grants them select on tenants only).
import type { TransactionSql } from 'postgres'

export interface TenantSummary {
  id: string
  name: string
  plan: string
  status: string
  timezone: string
  createdAt: Date
}

export async function listAllTenants(tx: TransactionSql): Promise<TenantSummary[]> {
  return tx<TenantSummary[]>`
    select id, name, plan, status, timezone, created_at as "createdAt"
    from public.tenants order by created_at desc limit 500`
}
