// Response shapes and query keys of the API-keys endpoints (GET/POST /api/api-keys, DELETE /api/api-keys/:id).
import type { ApiKeyRow } from '@/core/api-keys/list-api-keys'
import type { Jsonified } from '@/core/util/jsonified'

export type ApiKeyItem = Jsonified<ApiKeyRow>

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
