'use client'
// Keeps the open inbox live: each batch of signals (see signal-batcher) refetches only the queries it can
// have changed, once per conversation; a resync (after a reconnect, when anything may have been missed)
// refetches the whole inbox.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { createSignalBatcher, type SignalBatch } from '@/ui/realtime/signal-batcher'
import { useRealtime } from '@/ui/realtime/use-realtime'
import { inboxKeys } from './inbox-api'
import { useInvalidateConversations } from './use-inbox-queries'
import { useTenantId } from '@/ui/api/use-session'

export function useInboxRealtime() {
  const client = useQueryClient()
  const tenantId = useTenantId()
  const invalidate = useInvalidateConversations()
  const apply = useRef<(batch: SignalBatch) => void>(() => {})
  useEffect(() => {
    apply.current = (batch) => {
      if (batch.resync) void client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) })
      else invalidate(batch.conversations)
    }
  })
  const batcher = useRef<ReturnType<typeof createSignalBatcher>>(null)
  useEffect(() => {
    const created = createSignalBatcher((batch) => apply.current(batch))
    batcher.current = created
    return () => created.stop()
  }, [])
  useRealtime((signal) => batcher.current?.add(signal))
}
