import { after, NextResponse } from 'next/server'
import { conversationIdParam } from '@/core/inbox/conversation-id-param'
import { listMessages, listMessagesQuery } from '@/core/inbox/list-messages'
import { outboundInputSchema, queueOutboundMessage } from '@/core/inbox/queue-outbound-message'
import { tenantRoute } from '@/server/http/route'
import { handOffSends } from '@/server/sending/hand-off'

export const GET = tenantRoute({ input: listMessagesQuery }, async ({ tx, tenant, input, params }) =>
  listMessages(tx, tenant.id, conversationIdParam(params.id), input),
)

// 202: the message is stored as pending; its status moves on as Meta answers and posts statuses.
export const POST = tenantRoute({ input: outboundInputSchema, minRole: 'agent', maxBodyBytes: 64_000 }, async ({ tx, tenant, claims, input, params }) => {
  const message = await queueOutboundMessage(tx, { tenantId: tenant.id, conversationId: String(params.id), userId: claims.sub, input })
  after(() => handOffSends([message]))
  return NextResponse.json({ message }, { status: 202 })
})
