// The process-wide Graph API client, pointed at Meta (or the local emulator) by configuration.
import { createGraphClient, type GraphClient } from '@/core/whatsapp/graph-client'
import { config } from '@/server/config'
import { undiciExchange } from './undici-exchange'

let client: GraphClient | undefined

export function graph(): GraphClient {
  const c = config()
  client ??= createGraphClient({ baseUrl: c.META_GRAPH_BASE_URL, version: c.META_GRAPH_VERSION, exchange: undiciExchange })
  return client
}
