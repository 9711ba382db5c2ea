// One LISTEN connection per process, fanned out to every open event stream of the same workspace.
// Postgres delivers each committed change once per listening connection, so a thousand open inboxes
// cost one connection, not a thousand.
import { realtimeEventSchema, type RealtimeSignal } from '@/core/realtime/realtime-event'
import { db } from '@/server/db/db'
import { log } from '@/server/log'

export const REALTIME_CHANNEL = 'conversa_realtime'

type Listener = (signal: RealtimeSignal) => void
const byTenant = new Map<string, Set<Listener>>()
let listening: Promise<unknown> | undefined

function deliver(payload: string) {
  let event
  try {
    event = realtimeEventSchema.parse(JSON.parse(payload))
  } catch (error) {
    return log.warn({ err: error }, 'ignored a malformed realtime notification')
  }
  for (const listener of byTenant.get(event.tenantId) ?? []) listener(event)
}

function startListening() {
  let first = true
  // postgres.js re-issues LISTEN after its connection drops; whatever was committed in between was
  // never heard, so every stream is told to resync.
  listening ??= db().sql.listen(REALTIME_CHANNEL, deliver, () => {
    if (!first) for (const listeners of byTenant.values()) for (const listener of listeners) listener({ type: 'resync' })
    first = false
  })
  return listening
}

/** Resolves once the process is listening, so nothing committed after it is missed. */
export async function subscribeToTenant(tenantId: string, listener: Listener): Promise<() => void> {
  const listeners = byTenant.get(tenantId) ?? new Set()
  listeners.add(listener)
  byTenant.set(tenantId, listeners)
  try {
    await startListening()
  } catch (error) {
    listening = undefined
    listeners.delete(listener)
    throw error
  }
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) byTenant.delete(tenantId)
  }
}
