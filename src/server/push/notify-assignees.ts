// Web push for new customer messages, to the browsers of the agent each conversation is assigned to.
// The payload is encrypted to each browser's keys (RFC 8291), so the push service never reads it.
import webpush, { WebPushError } from 'web-push'
import { config, type Config } from '@/server/config'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { isOutboundRefusal } from '@/server/net/outbound-url-guard'
import { PublicHttpsAgent } from '@/server/net/public-agent'

/** The VAPID identity notifications are signed with. */
export interface PushSettings {
  subject: string
  publicKey: string
  privateKey: string
}

/** The deployment's push settings, or null when it sends no web push. */
export const pushSettings = (c: Config): PushSettings | null =>
  c.VAPID_PUBLIC_KEY && c.VAPID_PRIVATE_KEY ? { subject: c.VAPID_SUBJECT, publicKey: c.VAPID_PUBLIC_KEY, privateKey: c.VAPID_PRIVATE_KEY } : null

export interface InboundNotice {
  tenantId: string
  conversationId: string
}

interface Target {
  id: string
  endpoint: string
  p256dh: string
  auth: string
  conversationId: string
  title: string
  body: string | null
}

// Meta re-delivers and customers type in bursts: an hour-old notice is noise, and one per
// conversation (the push `topic`) replaces the previous one still waiting on a phone that is offline.
const TTL_SECONDS = 3600

// Endpoints are checked when saved, and again here at connect time: a row saved before that check,
// or a name that now resolves elsewhere, must never make the worker reach a private address.
let agent: PublicHttpsAgent | undefined
const pushAgent = () => (agent ??= new PublicHttpsAgent({ allowPrivateHosts: config().OUTBOUND_ALLOW_PRIVATE_HOSTS }))

export async function notifyAssignees(database: Db, vapidDetails: PushSettings, notices: InboundNotice[]) {
  if (notices.length === 0) return { sent: 0, removed: 0 }
  // The service connection bypasses RLS: each conversation is matched with its own tenant.
  const targets = await database.sql<Target[]>`
    select s.id, s.endpoint, s.p256dh, s.auth, c.id as "conversationId",
           coalesce(ct.name, ct.profile_name, '+' || ct.wa_id, 'WhatsApp customer') as title, c.last_message_preview as body
    from unnest(${notices.map((n) => n.tenantId)}::uuid[], ${notices.map((n) => n.conversationId)}::uuid[]) as n(tenant_id, conversation_id)
    join public.conversations c on c.tenant_id = n.tenant_id and c.id = n.conversation_id
    join public.contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id
    join public.push_subscriptions s on s.tenant_id = c.tenant_id and s.user_id = c.assignee_id
    group by s.id, c.id, ct.id`
  let sent = 0
  const gone: string[] = []
  const delivered: string[] = []
  await Promise.all(
    targets.map(async (t) => {
      const payload = JSON.stringify({ title: t.title, body: t.body ?? 'New message', url: `/inbox?conversation=${t.conversationId}`, tag: t.conversationId })
      try {
        await webpush.sendNotification({ endpoint: t.endpoint, keys: { p256dh: t.p256dh, auth: t.auth } }, payload, {
          TTL: TTL_SECONDS,
          urgency: 'high',
          topic: t.conversationId.replaceAll('-', ''),
          vapidDetails,
          timeout: 5_000,
          agent: pushAgent(),
        })
        sent++
        delivered.push(t.id)
      } catch (error) {
        // 404/410: the browser unsubscribed or the subscription expired; it will never work again.
        if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) gone.push(t.id)
        // Not a public address: it never will be one we send to, so it goes like an expired subscription.
        else if (isOutboundRefusal(error)) {
          gone.push(t.id)
          log.warn({ subscriptionId: t.id, reason: error.message }, 'web push endpoint refused and removed')
        } else log.warn({ subscriptionId: t.id, status: error instanceof WebPushError ? error.statusCode : undefined }, 'web push failed')
      }
    }),
  )
  if (gone.length) await database.sql`delete from public.push_subscriptions where id in ${database.sql(gone)}`
  if (delivered.length) await database.sql`update public.push_subscriptions set last_success_at = now() where id in ${database.sql(delivered)}`
  return { sent, removed: gone.length }
}
