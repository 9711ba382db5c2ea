import { deletePushSubscription, pushSubscriptionInput, pushUnsubscribeInput, savePushSubscription } from '@/core/push/push-subscriptions'
import { tenantRoute } from '@/server/http/route'

export const POST = tenantRoute({ input: pushSubscriptionInput, maxBodyBytes: 8_000 }, async ({ tx, tenant, claims, input, req }) =>
  savePushSubscription(tx, { tenantId: tenant.id, userId: claims.sub, subscription: input, userAgent: req.headers.get('user-agent') }),
)

export const DELETE = tenantRoute({ input: pushUnsubscribeInput, maxBodyBytes: 8_000 }, async ({ tx, tenant, input }) =>
  deletePushSubscription(tx, tenant.id, input.endpoint),
)
