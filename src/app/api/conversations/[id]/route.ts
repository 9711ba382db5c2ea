import { conversationIdParam } from '@/core/inbox/conversation-id-param'
import { getConversation } from '@/core/inbox/get-conversation'
import { updateConversation, updateConversationInput } from '@/core/inbox/update-conversation'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async ({ tx, tenant, params }) => ({
  conversation: await getConversation(tx, tenant.id, conversationIdParam(params.id)),
}))

export const PATCH = tenantRoute({ input: updateConversationInput, minRole: 'agent' }, async ({ tx, tenant, claims, input, params }) => ({
  conversation: await updateConversation(tx, { tenantId: tenant.id, userId: claims.sub, role: tenant.role }, conversationIdParam(params.id), input),
}))
