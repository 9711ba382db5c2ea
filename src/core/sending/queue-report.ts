// The shape of the ops report on the send engine, shared by the stats API and the queues page.
import type { BreakerState } from './circuit-breaker'
import type { QueueFamily, QueueStats } from './job-queue'

export interface NumberQueueStats {
  id: string
  tenantId: string
  phoneNumberId: string
  displayPhoneNumber: string | null
  status: string
  mps: number
  /** Messages Meta accepted from this number over the last 10 seconds, per second. */
  currentRate: number
  rateFactor: number
  backlogMs: number
  breaker: BreakerState
  queue: QueueStats
  messagingLimit: { tier: string; limit: number | null; usedLast24h: number }
}

export interface QueueReport {
  driver: 'postgres' | 'upstash'
  queues: Record<QueueFamily, QueueStats>
  numbers: NumberQueueStats[]
}
