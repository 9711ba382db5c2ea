// Response shapes and query keys of the API-keys endpoints (GET/POST /api/api-keys, DELETE /api/api-keys/:id).
import type { Role } from '@/core/tenancy/roles'

export interface ApiKeyItem {
  id: string
  name: string
  prefix: string
  role: Role
  createdBy: string | null
  createdByEmail: string | null
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
  createdAt: string
}

export interface ApiKeysResponse {
  apiKeys: ApiKeyItem[]
}

/** The one response that carries the plain key. */
export interface CreatedApiKey {
  apiKey: ApiKeyItem
  key: string
}

export const apiKeyKeys = {
  all: (tenantId: string | null) => ['api-keys', tenantId] as const,
}
