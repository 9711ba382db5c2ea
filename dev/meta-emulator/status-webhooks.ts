// After an accepted send, the status webhooks Meta would post: sent → delivered → read (read only with
// autoRead), or a single `failed`. Latency, jitter, loss, duplication and reordering are drawn from the
// seeded PRNG in a fixed order, so a given seed and send sequence always yields the same deliveries.
// When a status falls due, `status-outbox.ts` posts it alone or in a batch.
import { conversationId } from './make-ids'
import { schedule, statsFor, type EmulatorState, type RegisteredNumber } from './emulator-state'
import { webhookError } from './meta-errors'
import { statusDue } from './status-outbox'

export interface Pricing {
  category: string
  billable: boolean
  type: 'regular' | 'free_customer_service'
}

export interface StatusPlanInput {
  number: RegisteredNumber
  wamid: string
  waId: string
  acceptedAt: number
  pricing: Pricing
  failure?: { code: number; details?: string }
  bizOpaqueCallbackData?: string
}

type Step = 'sent' | 'delivered' | 'read' | 'failed'

const DAY_MS = 86_400_000

export function scheduleStatusWebhooks(state: EmulatorState, input: StatusPlanInput) {
  const { config, prng } = state
  const steps: Step[] = input.failure ? ['failed'] : ['sent', 'delivered', ...(config.autoRead ? (['read'] as const) : [])]
  const reorder = prng.chance(config.reorderRate)

  // When each event happens (its timestamp); delivered never happens before sent, read never before delivered.
  let previous = 0
  const events = steps.map((status) => {
    const base = status === 'failed' ? config.statusDelays.sent : config.statusDelays[status]
    const happensAt = Math.max(previous, base + prng.upTo(config.jitterMs))
    previous = happensAt
    return { status, happensAt, arrivesAt: happensAt }
  })
  // Reordering changes only when the webhooks arrive: the last two swap (read before delivered).
  const [a, b] = [events.at(-2), events.at(-1)]
  if (reorder && a && b) [a.arrivesAt, b.arrivesAt] = [b.arrivesAt, a.arrivesAt]

  const stats = statsFor(state, input.number.phoneNumberId)
  for (const event of events) {
    const lost = prng.chance(config.lossRate)
    const duplicated = prng.chance(config.duplicateRate)
    const duplicateGap = 5 + prng.upTo(config.jitterMs)
    if (lost) {
      stats.webhooks.lost++
      continue
    }
    if (duplicated) stats.webhooks.duplicated++
    const status = statusObject(input, event.status, event.happensAt)
    schedule(state, event.arrivesAt, () => statusDue(state, input.number, { status, ...(duplicated ? { redeliverAfterMs: duplicateGap } : {}) }))
  }
}

function statusObject(input: StatusPlanInput, status: Step, happensAt: number) {
  const at = input.acceptedAt + happensAt
  const base = {
    id: input.wamid,
    status,
    timestamp: String(Math.floor(at / 1000)),
    recipient_id: input.waId,
    ...(input.bizOpaqueCallbackData === undefined ? {} : { biz_opaque_callback_data: input.bizOpaqueCallbackData }),
  }
  if (status === 'failed') return { ...base, errors: [webhookError(input.failure!.code, input.failure!.details)] }
  if (status === 'read') return base
  // Conversation + pricing ride on sent and delivered; expiration_timestamp only on sent, as Meta does.
  const { category, billable, type } = input.pricing
  const day = Math.floor(input.acceptedAt / DAY_MS)
  return {
    ...base,
    conversation: {
      id: conversationId(input.number.phoneNumberId, input.waId, category, day),
      ...(status === 'sent' ? { expiration_timestamp: String(((day + 1) * DAY_MS) / 1000) } : {}),
      origin: { type: category },
    },
    pricing: { billable, pricing_model: 'PMP', category, type },
  }
}
