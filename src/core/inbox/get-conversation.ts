// One conversation as the chat view shows it: the list row plus the contact and the number it is on.
// RLS hides other workspaces' rows, so their ids are simply not found.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import { summaryColumns, summaryJoins, type ConversationSummary } from './conversation-summary'

export interface ConversationDetail extends ConversationSummary {
  contact: { id: string; name: string | null; profileName: string | null; waId: string | null; email: string | null; tags: string[]; optedOut: boolean; blocked: boolean }
  number: { id: string; phoneNumberId: string; displayPhone: string | null; verifiedName: string | null }
}

export async function getConversation(tx: TransactionSql, tenantId: string, conversationId: string): Promise<ConversationDetail> {
  const [row] = await tx<ConversationDetail[]>`
    select ${summaryColumns(tx)},
           json_build_object('id', ct.id, 'name', ct.name, 'profileName', ct.profile_name, 'waId', ct.wa_id, 'email', ct.email,
                             'tags', ct.tags, 'optedOut', ct.opted_out_at is not null, 'blocked', ct.blocked) as contact,
           json_build_object('id', n.id, 'phoneNumberId', n.phone_number_id, 'displayPhone', n.display_phone_number,
                             'verifiedName', n.verified_name) as number
    from public.conversations c
    ${summaryJoins(tx)}
    where c.id = ${conversationId} and c.tenant_id = ${tenantId}`
  if (!row) throw notFound('Conversation')
  return row
}
