import { deletePushSubscription, pushSubscriptionInput, pushUnsubscribeInput, savePushSubscription } from '@/core/push/push-subscriptions'
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'
import { assertPublicUrl } from '@/server/net/outbound-url-guard'

export const POST = tenantRoute({ input: pushSubscriptionInput, maxBodyBytes: 8_000 }, async ({ tx, tenant, claims, input, req }) => {
  // The worker will POST to this endpoint: a push service on the public internet, never our network (422 otherwise).
  await assertPublicUrl(input.endpoint, { field: 'endpoint', allowPrivateHosts: config().OUTBOUND_ALLOW_PRIVATE_HOSTS })
  return savePushSubscription(tx, { tenantId: tenant.id, userId: claims.sub, subscription: input, userAgent: req.headers.get('user-agent') })
})

export const DELETE = tenantRoute({ input: pushUnsubscribeInput, maxBodyBytes: 8_000 }, async ({ tx, tenant, input }) =>
  deletePushSubscription(tx, tenant.id, input.endpoint),
)
