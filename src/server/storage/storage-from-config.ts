// Chooses the storage adapter from configuration, once per process.
import path from 'node:path'
import { config } from '@/server/config'
import { createFilesystemStorage } from './filesystem-storage'
import type { Storage } from './storage'
import { createSupabaseStorage } from './supabase-storage'

let storage: Storage | undefined

export function mediaStorage(): Storage {
  const c = config()
  storage ??=
    c.STORAGE_DRIVER === 'supabase'
      ? createSupabaseStorage(c.SUPABASE_URL!, c.SUPABASE_SERVICE_ROLE_KEY!, c.STORAGE_BUCKET)
      : createFilesystemStorage(path.resolve(c.STORAGE_DIR))
  return storage
}
