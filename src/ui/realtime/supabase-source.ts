// The hosted realtime adapter: Supabase Realtime's Postgres changes on the tables the migration
// publishes, filtered to the workspace and checked by Realtime against the member's RLS policies.
import { eventFromSupabaseChange } from '@/core/realtime/supabase-change'
import type { RealtimeSignal } from '@/core/realtime/realtime-event'
import { api } from '@/ui/api/api-client'

interface Credentials {
  url: string
  anonKey: string
  accessToken: string
  expiresAt: number
  tenantId: string
}

const TABLES = ['messages', 'conversations', 'templates'] as const
const RETRY_MS = 5_000

export function connectSupabaseRealtime(emit: (signal: RealtimeSignal) => void): () => void {
  let stopped = false
  let cleanup = () => {}

  const start = async () => {
    const credentials = await api<Credentials>('/api/realtime/supabase')
    // Loaded only in this mode, so the embedded build never ships the Realtime client to browsers.
    const { createClient } = await import('@supabase/supabase-js')
    if (stopped) return
    const client = createClient(credentials.url, credentials.anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
    await client.realtime.setAuth(credentials.accessToken)
    let channel = client.channel(`inbox:${credentials.tenantId}`)
    for (const table of TABLES)
      channel = channel.on('postgres_changes', { event: '*', schema: 'public', table, filter: `tenant_id=eq.${credentials.tenantId}` }, (change) => {
        const event = eventFromSupabaseChange(table, change.new)
        if (event) emit(event)
      })
    channel.subscribe((status) => {
      if (status === 'SUBSCRIBED') emit({ type: 'resync' })
    })
    // Realtime drops a channel whose token expired: fetch a fresh one shortly before.
    const refresh = setTimeout(
      () => {
        cleanup()
        if (!stopped) void start().catch(retry)
      },
      Math.max(30_000, credentials.expiresAt * 1000 - Date.now() - 60_000),
    )
    cleanup = () => {
      clearTimeout(refresh)
      void client.removeAllChannels()
    }
  }
  const retry = () => {
    if (!stopped) setTimeout(() => void start().catch(retry), RETRY_MS)
  }
  void start().catch(retry)
  return () => {
    stopped = true
    cleanup()
  }
}
