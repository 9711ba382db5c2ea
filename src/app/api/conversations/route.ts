import { listConversations, listConversationsQuery } from '@/core/inbox/list-conversations'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: listConversationsQuery }, async ({ tx, tenant, claims, input }) =>
  listConversations(tx, tenant.id, claims.sub, input),
)
