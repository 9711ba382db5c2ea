// Storage in a private Supabase Storage bucket, written with the service-role key from the server only.
import { createClient } from '@supabase/supabase-js'
import type { Storage } from './storage'

export function createSupabaseStorage(url: string, serviceRoleKey: string, bucket: string): Storage {
  const client = createClient(url, serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } })
  const files = () => client.storage.from(bucket)
  return {
    async put(path, bytes, contentType) {
      const { error } = await files().upload(path, bytes, { contentType, upsert: true })
      if (error) throw new Error(`storage upload failed: ${error.message}`)
    },
    async get(path) {
      const { data, error } = await files().download(path)
      if (error) {
        if ('statusCode' in error && String(error.statusCode) === '404') return null
        if (/not found/i.test(error.message)) return null
        throw new Error(`storage download failed: ${error.message}`)
      }
      return { bytes: new Uint8Array(await data.arrayBuffer()), contentType: data.type || 'application/octet-stream' }
    },
    async delete(path) {
      const { error } = await files().remove([path])
      if (error) throw new Error(`storage delete failed: ${error.message}`)
    },
  }
}
