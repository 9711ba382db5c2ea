// What the browser hears about, and all it hears: which row changed. It then refetches through the
// RLS-checked API, so the notification channel never carries message content.
import { z } from 'zod'

export const realtimeEventSchema = z.discriminatedUnion('type', [
  // Messages were added to these conversations or their status moved (sent, delivered, read, failed…):
  // one notification per workspace per statement, so a batch of a thousand is one event, not a thousand.
  z.object({ type: z.literal('messages'), tenantId: z.uuid(), conversationIds: z.array(z.uuid()).min(1).max(100) }),
  // A conversation's status, assignee, tags, unread count or last activity changed.
  z.object({ type: z.literal('conversation'), tenantId: z.uuid(), conversationId: z.uuid() }),
  // A template was added or Meta changed its status, category, quality or rejection reason.
  z.object({ type: z.literal('template'), tenantId: z.uuid(), templateId: z.uuid() }),
])
export type RealtimeEvent = z.infer<typeof realtimeEventSchema>

/** What a subscriber receives: a change, or `resync` after a (re)connect, when anything may have been missed. */
export type RealtimeSignal = RealtimeEvent | { type: 'resync' }

/** The conversations a change names. */
export function conversationsOf(event: RealtimeEvent): string[] {
  if (event.type === 'messages') return event.conversationIds
  return event.type === 'conversation' ? [event.conversationId] : []
}
