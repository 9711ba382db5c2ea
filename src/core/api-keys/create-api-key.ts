// Issues an API key for the workspace: a role the caller could grant a person, an optional expiry in
// the future, and the plain key returned exactly once.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { AppError, forbidden } from '@/core/errors/app-error'
import { canGrant, roleSchema, type Role } from '@/core/tenancy/roles'
import { generateApiKey } from './api-key-token'
import { API_KEY_COLUMNS, type ApiKeyRow } from './list-api-keys'

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(100),
  role: roleSchema,
  expiresAt: z.coerce.date().optional(),
})

export async function createApiKey(tx: TransactionSql, tenantId: string, actorRole: Role, input: z.infer<typeof createApiKeyInput>) {
  // The caller's role may itself be capped by the API key it authenticated with, so RLS (which sees
  // the person behind the key) is not enough here.
  if (!canGrant(actorRole, input.role)) throw forbidden(`Your role (${actorRole}) cannot issue a key with the ${input.role} role`)
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new AppError('validation_failed', 'expiresAt: must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }])
  const { key, prefix, hash } = generateApiKey()
  const [apiKey] = await tx<ApiKeyRow[]>`
    with inserted as (
      insert into public.api_keys (tenant_id, name, prefix, key_hash, role, created_by, expires_at)
      values (${tenantId}, ${input.name}, ${prefix}, ${hash}, ${input.role}, auth.uid(), ${input.expiresAt ?? null})
      returning *
    )
    select ${API_KEY_COLUMNS(tx)} from inserted k left join public.profiles p on p.id = k.created_by`
  return { apiKey: apiKey!, key }
}
