// What the browser hears about, and all it hears: which row changed. It then refetches through the
// RLS-checked API, so the notification channel never carries message content.
import { z } from 'zod'

export const realtimeEventSchema = z.discriminatedUnion('type', [
  // A message was added to a conversation or its status moved (sent, delivered, read, failed…).
  z.object({ type: z.literal('message'), tenantId: z.uuid(), conversationId: z.uuid(), messageId: z.uuid() }),
  // A conversation's status, assignee, tags, unread count or last activity changed.
  z.object({ type: z.literal('conversation'), tenantId: z.uuid(), conversationId: z.uuid() }),
])
export type RealtimeEvent = z.infer<typeof realtimeEventSchema>

/** What a subscriber receives: a change, or `resync` after a (re)connect, when anything may have been missed. */
export type RealtimeSignal = RealtimeEvent | { type: 'resync' }
