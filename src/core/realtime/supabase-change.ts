// Supabase Realtime delivers whole rows of the tables we publish (after RLS); the inbox needs only
// which message, conversation or template changed, the same event our own stream sends.
import { z } from 'zod'
import type { RealtimeEvent } from './realtime-event'

const messageRow = z.object({ tenant_id: z.uuid(), conversation_id: z.uuid() })
const rowWithId = z.object({ id: z.uuid(), tenant_id: z.uuid() })

export function eventFromSupabaseChange(table: string, row: unknown): RealtimeEvent | null {
  if (table === 'messages') {
    const parsed = messageRow.safeParse(row)
    return parsed.success ? { type: 'messages', tenantId: parsed.data.tenant_id, conversationIds: [parsed.data.conversation_id] } : null
  }
  if (table === 'conversations') {
    const parsed = rowWithId.safeParse(row)
    return parsed.success ? { type: 'conversation', tenantId: parsed.data.tenant_id, conversationId: parsed.data.id } : null
  }
  if (table === 'templates') {
    const parsed = rowWithId.safeParse(row)
    return parsed.success ? { type: 'template', tenantId: parsed.data.tenant_id, templateId: parsed.data.id } : null
  }
  return null
}
