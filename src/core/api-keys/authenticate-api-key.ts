// Turns a presented API key into the principal it acts as: the key's workspace, the person who created
// it, and the lower of the key's role and that person's current role there. Runs on the service
// connection (no user is known yet) and reads by the key's hash only.
//
// Lookup by hash rather than a timing-safe compare: the database compares sha256 digests, so any
// timing difference tells an attacker how many leading bytes of a *hash* matched, and they cannot
// choose inputs that steer those bytes without breaking sha256. The key itself is never compared.
import type { TransactionSql } from 'postgres'
import { unauthenticated } from '@/core/errors/app-error'
import { atLeast, type Role } from '@/core/tenancy/roles'
import { hashApiKey, isWellFormedApiKey } from './api-key-token'

export interface ApiKeyPrincipal {
  keyId: string
  tenantId: string
  userId: string
  email: string
  fullName: string | null
  role: Role
}

const REJECTED = 'This API key is invalid, expired or revoked'

export async function authenticateApiKey(tx: TransactionSql, key: string): Promise<ApiKeyPrincipal> {
  if (!isWellFormedApiKey(key)) throw unauthenticated(REJECTED)
  const [row] = await tx<(Omit<ApiKeyPrincipal, 'role'> & { keyRole: Role; memberRole: Role | null })[]>`
    select k.id as "keyId", k.tenant_id as "tenantId", k.role as "keyRole", u.id as "userId", u.email,
           u.raw_user_meta_data ->> 'full_name' as "fullName", m.role as "memberRole"
    from public.api_keys k
    join auth.users u on u.id = k.created_by
    left join public.memberships m on m.tenant_id = k.tenant_id and m.user_id = k.created_by
    where k.key_hash = ${hashApiKey(key)}
      and k.revoked_at is null
      and (k.expires_at is null or k.expires_at > now())`
  // A key outlives nothing of its creator's: once they leave the workspace it stops working.
  if (!row || !row.memberRole || !row.email) throw unauthenticated(REJECTED)
  // At most one write a minute per key, however busy the integration is.
  await tx`
    update public.api_keys set last_used_at = now()
    where id = ${row.keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`
  const { keyRole, memberRole, ...principal } = row
  return { ...principal, role: atLeast(keyRole, memberRole) ? memberRole : keyRole }
}
