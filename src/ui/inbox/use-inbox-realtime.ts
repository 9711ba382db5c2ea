'use client'
// Keeps the open inbox live: each realtime signal refetches only the queries it can have changed, and a
// resync (after a reconnect, when anything may have been missed) refetches the whole inbox.
import { useQueryClient } from '@tanstack/react-query'
import { useRealtime } from '@/ui/realtime/use-realtime'
import { inboxKeys } from './inbox-api'
import { useInvalidateConversation, useTenantId } from './use-inbox-queries'

export function useInboxRealtime() {
  const client = useQueryClient()
  const tenantId = useTenantId()
  const invalidate = useInvalidateConversation()
  useRealtime((signal) => {
    if (signal.type === 'resync') void client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) })
    else invalidate(signal.conversationId, { messages: signal.type === 'message' })
  })
}
