// Picks the active workspace (x-tenant-id header, then cookie, then the first membership) and the caller's role in it.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { atLeast, type Role } from '@/core/tenancy/roles'

export interface ActiveTenant {
  id: string
  role: Role
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `strict`: an explicitly requested tenant must be one of the caller's; a stale cookie just falls back. */
export async function resolveTenant(tx: TransactionSql, requested: string | undefined, strict: boolean): Promise<ActiveTenant> {
  const wanted = requested && UUID.test(requested) ? requested : null
  // RLS already limits memberships to the caller's own; the order prefers the requested tenant.
  const [row] = await tx<ActiveTenant[]>`
    select tenant_id as id, role from public.memberships
    where user_id = auth.uid()
    order by (tenant_id = ${wanted}) desc nulls last, created_at
    limit 1`
  if (!row) throw new AppError('forbidden', 'You are not a member of any workspace')
  if (strict && row.id !== requested) throw new AppError('forbidden', 'You are not a member of that workspace')
  return row
}

/** An API key's workspace is fixed (naming another one is refused) and its role is capped by the key. */
export async function resolveApiKeyTenant(tx: TransactionSql, key: { tenantId: string; role: Role }, requested: string | undefined): Promise<ActiveTenant> {
  if (requested !== undefined && requested !== key.tenantId) throw new AppError('forbidden', 'This API key belongs to another workspace')
  const tenant = await resolveTenant(tx, key.tenantId, true)
  return { id: tenant.id, role: atLeast(key.role, tenant.role) ? tenant.role : key.role }
}
