// A private note in a conversation: a message row of our own type `note`, seen only by the team.
// It is stored so that nothing on the send path can ever pick it up:
// - direction 'outbound' with status 'sent' and no wamid: the straggler sweep, the sent recorder and
//   the failure recorder only touch outbound rows still 'pending' or 'queued';
// - no wamid: Meta's status webhooks and read receipts find messages by wamid, so none can reach it;
// - no sent_at: send-rate statistics count outbound rows by sent_at.
// The conversation row is left alone: a note moves neither the 24-hour window, nor the unread count,
// nor the list's last-message preview and order.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'
import { getMessage, type MessageRow } from './list-messages'

export const addNoteInput = z.object({ body: z.string().trim().min(1).max(4096) }).strict()

export async function addNote(
  tx: TransactionSql,
  args: { tenantId: string; conversationId: string; userId: string; body: string },
): Promise<MessageRow> {
  const [note] = await tx<{ id: string }[]>`
    insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content, sent_by)
    select c.tenant_id, c.id, c.number_id, c.contact_id, 'outbound', 'note', 'sent', ${tx.json({ text: args.body })}, ${args.userId}
    from public.conversations c
    where c.id = ${args.conversationId} and c.tenant_id = ${args.tenantId}
    returning id`
  if (!note) throw notFound('Conversation')
  return (await getMessage(tx, args.tenantId, args.conversationId, note.id))!
}
