// The ops view of the send engine: each queue's depth, and per number its rate, breaker and the
// portfolio's messaging-limit usage. Reads the shared store, so it shows every worker's effect.
import { MESSAGING_LIMIT_WINDOW_MS, messagingLimitOf } from '@/core/sending/messaging-limit'
import { SEND_QUEUE_PREFIX, sendQueueFor, type JobQueue, type QueueName, type QueueStats } from '@/core/sending/job-queue'
import type { NumberQueueStats, QueueReport } from '@/core/sending/queue-report'
import type { Db } from '@/server/db/create-db'
import { webhookEventStats } from '@/server/whatsapp/webhook-event-queue'
import { breakerKey, portfolioKey, throughputKey } from './engine-keys'
import type { SendEngine } from './engine'

const EMPTY: QueueStats = { pending: 0, delayed: 0, processing: 0, dead: 0 }
const add = (a: QueueStats, b: QueueStats): QueueStats => ({
  pending: a.pending + b.pending,
  delayed: a.delayed + b.delayed,
  processing: a.processing + b.processing,
  dead: a.dead + b.dead,
})

/** Each number's send queue, by name. */
async function sendQueueStats(queue: JobQueue): Promise<Map<QueueName, QueueStats>> {
  const names = await queue.queues(SEND_QUEUE_PREFIX)
  return new Map(await Promise.all(names.map(async (q) => [q, await queue.stats(q)] as const)))
}

/** Every number's send queue summed. */
export async function sendsTotal(queue: JobQueue): Promise<QueueStats> {
  return [...(await sendQueueStats(queue)).values()].reduce(add, EMPTY)
}

export async function queueStats(engine: SendEngine, db: Db, filter: { instanceId?: string } = {}): Promise<QueueReport> {
  // Read once per queue: the family total and the per-number rows below both come from these.
  const sends = await sendQueueStats(engine.queue)
  const queues = { sends: [...sends.values()].reduce(add, EMPTY), webhooks: await webhookEventStats(db) }
  const id = filter.instanceId ?? null
  const numbers = await db.sql<
    { id: string; tenantId: string; phoneNumberId: string; displayPhoneNumber: string | null; status: string; mps: number; tier: string; limit: number | null; portfolio: string; sentLast10s: number }[]
  >`
    select n.id, n.tenant_id as "tenantId", n.phone_number_id as "phoneNumberId", n.display_phone_number as "displayPhoneNumber",
           n.status, n.throughput_mps as mps, a.messaging_limit_tier as tier, a.messaging_limit as "limit", coalesce(a.business_id, a.id::text) as portfolio,
           -- A message sent in the last 10 s was created in the last minute (a campaign's a couple of seconds
           -- ahead, a reply at once): the time index bounds the scan to that minute, not the number's history.
           (select count(*)::int from public.messages m
             where m.tenant_id = n.tenant_id and m.number_id = n.id and m."timestamp" > now() - interval '1 minute'
               and m.direction = 'outbound' and m.sent_at > now() - interval '10 seconds') as "sentLast10s"
    from public.whatsapp_numbers n join public.whatsapp_business_accounts a on a.id = n.account_id
    where ${id}::text is null or n.id::text = ${id} or n.phone_number_id = ${id}
    order by n.created_at`
  const rates = await engine.pacer.rateStates(numbers.map((n) => throughputKey(n.phoneNumberId)))
  const breakers = await engine.breaker.states(numbers.map((n) => breakerKey(n.phoneNumberId)))
  // The numbers of one portfolio share its messaging limit: count each portfolio once.
  const portfolios = [...new Set(numbers.map((n) => n.portfolio))]
  const used = new Map(
    await Promise.all(portfolios.map(async (p) => [p, await engine.pacer.uniqueCount(portfolioKey(p), MESSAGING_LIMIT_WINDOW_MS)] as const)),
  )
  const perNumber: NumberQueueStats[] = numbers.map((n) => {
    const limit = messagingLimitOf(n)
    return {
      id: n.id,
      tenantId: n.tenantId,
      phoneNumberId: n.phoneNumberId,
      displayPhoneNumber: n.displayPhoneNumber,
      status: n.status,
      mps: n.mps,
      currentRate: n.sentLast10s / 10,
      rateFactor: rates[throughputKey(n.phoneNumberId)]?.factor ?? 1,
      backlogMs: rates[throughputKey(n.phoneNumberId)]?.backlogMs ?? 0,
      breaker: breakers[breakerKey(n.phoneNumberId)] ?? { phase: 'closed', failures: 0, retryAt: null },
      queue: sends.get(sendQueueFor(n.phoneNumberId)) ?? EMPTY,
      messagingLimit: {
        tier: n.tier,
        limit: Number.isFinite(limit) ? limit : null,
        usedLast24h: used.get(n.portfolio) ?? 0,
      },
    }
  })
  return { driver: engine.driver, queues, numbers: perNumber }
}
