// A member's browsers that receive web-push notifications, as the Push API's PushSubscription JSON
// describes them. Saving the same endpoint again refreshes its keys (browsers rotate them).
import type { TransactionSql } from 'postgres'
import { z } from 'zod'

export const pushSubscriptionInput = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(2048),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]+=*$/, 'URL-safe base64').min(16).max(200),
    auth: z.string().regex(/^[A-Za-z0-9_-]+=*$/, 'URL-safe base64').min(8).max(100),
  }),
})
export const pushUnsubscribeInput = z.object({ endpoint: z.string().max(2048) })

export async function savePushSubscription(
  tx: TransactionSql,
  args: { tenantId: string; userId: string; subscription: z.infer<typeof pushSubscriptionInput>; userAgent: string | null },
) {
  const { endpoint, keys } = args.subscription
  // A browser moves between accounts: the endpoint now belongs to whoever subscribed it last.
  await tx`delete from public.push_subscriptions where tenant_id = ${args.tenantId} and endpoint = ${endpoint} and user_id <> ${args.userId}`
  const [row] = await tx<{ id: string }[]>`
    insert into public.push_subscriptions (tenant_id, user_id, endpoint, p256dh, auth, user_agent)
    values (${args.tenantId}, ${args.userId}, ${endpoint}, ${keys.p256dh}, ${keys.auth}, ${args.userAgent?.slice(0, 300) ?? null})
    on conflict (tenant_id, endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent
    returning id`
  return { id: row!.id }
}

export async function deletePushSubscription(tx: TransactionSql, tenantId: string, endpoint: string) {
  const rows = await tx`delete from public.push_subscriptions where tenant_id = ${tenantId} and endpoint = ${endpoint}`
  return { removed: rows.count }
}
