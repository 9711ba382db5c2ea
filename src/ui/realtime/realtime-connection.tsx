'use client'
// Opens the workspace's one live connection for the signed-in frame and hands every change to the
// listeners registered with useRealtime. Which adapter is a deployment choice: our own event stream
// (embedded and self-hosted) or Supabase Realtime (NEXT_PUBLIC_REALTIME_DRIVER=supabase).
import { useEffect } from 'react'
import { connectEventStream } from './event-stream-source'
import { realtimeListeners } from './realtime-listeners'
import { connectSupabaseRealtime } from './supabase-source'

const connect = process.env.NEXT_PUBLIC_REALTIME_DRIVER === 'supabase' ? connectSupabaseRealtime : connectEventStream

export function RealtimeConnection({ tenantId }: { tenantId: string | null }) {
  useEffect(() => {
    if (!tenantId) return
    return connect(realtimeListeners.emit)
  }, [tenantId])
  return null
}
