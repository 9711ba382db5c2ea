// Production wiring of the Graph-facing server code: the process-wide Graph client, the sealing key
// and, for media, the storage and database.
import type { GraphClient } from '@/core/whatsapp/graph-client'
import { config } from '@/server/config'
import { db } from '@/server/db/db'
import { mediaStorage } from '@/server/storage/storage-from-config'
import type { MediaDeps } from './fetch-inbound-media'
import { graph } from './graph'

export interface GraphDeps {
  graph: GraphClient
  encryptionKey: string
}

export const graphDeps = (): GraphDeps => ({ graph: graph(), encryptionKey: config().ENCRYPTION_KEY })
export const mediaDeps = (): MediaDeps => ({ ...graphDeps(), db: db(), storage: mediaStorage() })
