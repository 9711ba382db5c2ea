// Ranks delivery statuses so that a stored status only ever moves forward.
import type { KnownStatus } from './webhook-events'

// Status order. Meta does not guarantee delivery order (read may precede delivered, delivered is skipped when
// read at once) and can report failed after sent. Applying a status only when it ranks higher makes the stored
// state the maximum of what arrived, whatever the order: a late delivered never downgrades read, sent never
// revives failed, and failed never overrides delivered/read (the device already has the message), while a
// delivered/read arriving after failed is proof of delivery and wins. played (voice) ranks as read. deleted
// (legacy) is terminal. Unknown strings rank -1: keep them in the log, never change state with them.
export const STATUS_RANK = {
  pending: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
  played: 4,
  deleted: 5,
} as const satisfies Record<KnownStatus | 'pending', number>

export function statusRank(status: string | null | undefined): number {
  if (typeof status !== 'string' || !Object.hasOwn(STATUS_RANK, status)) return -1
  return STATUS_RANK[status as keyof typeof STATUS_RANK]
}

/** Whether `incoming` should replace the stored `current` status (null = nothing stored yet). */
export function isStatusUpgrade(current: string | null | undefined, incoming: string): boolean {
  const next = statusRank(incoming)
  return next >= 0 && next > statusRank(current)
}
