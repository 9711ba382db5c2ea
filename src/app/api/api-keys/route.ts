import { NextResponse } from 'next/server'
import { createApiKey, createApiKeyInput } from '@/core/api-keys/create-api-key'
import { listApiKeys } from '@/core/api-keys/list-api-keys'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ minRole: 'admin', peopleOnly: true }, async ({ tx, tenant }) => ({ apiKeys: await listApiKeys(tx, tenant.id) }))

// The plain key is in this response only; it is never stored or shown again.
export const POST = tenantRoute({ input: createApiKeyInput, minRole: 'admin', maxBodyBytes: 4_096, peopleOnly: true }, async ({ tx, tenant, input }) =>
  NextResponse.json(await createApiKey(tx, tenant.id, tenant.role, input), { status: 201, headers: { 'cache-control': 'no-store' } }),
)
