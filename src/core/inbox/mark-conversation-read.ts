// An agent opened the conversation: clear its unread count and return the newest inbound wamid so
// Meta can show the customer blue ticks.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'

export async function markConversationRead(tx: TransactionSql, tenantId: string, conversationId: string) {
  const [conversation] = await tx<{ id: string }[]>`
    update public.conversations set unread_count = 0 where id = ${conversationId} and tenant_id = ${tenantId} returning id`
  if (!conversation) throw notFound('Conversation')
  const [latest] = await tx<{ wamid: string; phoneNumberId: string }[]>`
    select m.wamid, n.phone_number_id as "phoneNumberId"
    from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
    where m.conversation_id = ${conversationId} and m.tenant_id = ${tenantId} and m.direction = 'inbound' and m.wamid is not null
    order by m."timestamp" desc limit 1`
  return latest ?? null
}
