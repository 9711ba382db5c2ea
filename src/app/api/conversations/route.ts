import { listConversations, listConversationsQuery } from '@/core/inbox/list-conversations'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({ input: listConversationsQuery }, async ({ tx, tenant, input }) => listConversations(tx, tenant.id, input))
