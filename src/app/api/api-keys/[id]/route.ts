import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'
import { revokeApiKey } from '@/core/api-keys/revoke-api-key'
import { tenantRoute } from '@/server/http/route'

export const DELETE = tenantRoute({ minRole: 'admin', peopleOnly: true }, async ({ tx, tenant, params }) => {
  const id = z.string().uuid().safeParse(params.id)
  if (!id.success) throw notFound('API key')
  await revokeApiKey(tx, tenant.id, tenant.role, id.data)
  return { ok: true }
})
