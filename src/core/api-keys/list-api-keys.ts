// The workspace's API keys as the settings page lists them: never the hash, only the shown prefix.
import type { TransactionSql } from 'postgres'
import type { Role } from '@/core/tenancy/roles'

export interface ApiKeyRow {
  id: string
  name: string
  prefix: string
  role: Role
  createdBy: string | null
  createdByEmail: string | null
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
  createdAt: Date
}

// Shared by the list and by creation's `returning`, so both answer the same shape (`k` is the key row).
export const API_KEY_COLUMNS = (tx: TransactionSql) => tx`
  k.id, k.name, k.prefix, k.role, k.created_by as "createdBy", p.email as "createdByEmail",
  k.last_used_at as "lastUsedAt", k.expires_at as "expiresAt", k.revoked_at as "revokedAt", k.created_at as "createdAt"`

export async function listApiKeys(tx: TransactionSql, tenantId: string) {
  return tx<ApiKeyRow[]>`
    select ${API_KEY_COLUMNS(tx)} from public.api_keys k left join public.profiles p on p.id = k.created_by
    where k.tenant_id = ${tenantId}
    order by k.revoked_at is not null, k.created_at desc`
}
