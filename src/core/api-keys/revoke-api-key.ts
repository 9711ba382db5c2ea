// Revokes a key for good (the row stays for the audit trail). Only someone who could issue a key of
// that role may revoke it, so an admin cannot switch off the owner's integrations.
import type { TransactionSql } from 'postgres'
import { forbidden, notFound } from '@/core/errors/app-error'
import { canGrant, type Role } from '@/core/tenancy/roles'

export async function revokeApiKey(tx: TransactionSql, tenantId: string, actorRole: Role, keyId: string) {
  const [key] = await tx<{ role: Role; revokedAt: Date | null }[]>`
    select role, revoked_at as "revokedAt" from public.api_keys
    where id = ${keyId} and tenant_id = ${tenantId}
    for update`
  if (!key) throw notFound('API key')
  if (!canGrant(actorRole, key.role)) throw forbidden(`Your role (${actorRole}) cannot revoke a key with the ${key.role} role`)
  if (key.revokedAt) return
  await tx`update public.api_keys set revoked_at = now() where id = ${keyId}`
}
