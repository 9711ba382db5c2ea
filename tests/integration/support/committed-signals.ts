// Postgres delivers notifications in the order their transactions committed: once a marker sent now has
// reached a listener of the realtime hub, everything committed before it has reached the hub too. Tests
// wait for that before they read or reset what they heard.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { RealtimeSignal } from '@/core/realtime/realtime-event'
import type { Sql } from '@/server/db/create-db'

type Subscribe = (tenantId: string, listener: (signal: RealtimeSignal) => void) => Promise<() => void>

/**
 * Resolves once every realtime notification of the tenant committed before the call has been delivered.
 * The marker is a conversation id no row has; a listener that must not count it can know it beforehand.
 */
export async function afterCommittedSignals(sql: Sql, hub: { subscribeToTenant: Subscribe; REALTIME_CHANNEL: string }, tenantId: string, marker = randomUUID()) {
  let arrived = false
  const stop = await hub.subscribeToTenant(tenantId, (s) => {
    if (s.type === 'conversation' && s.conversationId === marker) arrived = true
  })
  try {
    await sql`select pg_notify(${hub.REALTIME_CHANNEL}, ${JSON.stringify({ type: 'conversation', tenantId, conversationId: marker })})`
    await expect.poll(() => arrived, { timeout: 10_000, interval: 10 }).toBe(true)
  } finally {
    stop()
  }
}
