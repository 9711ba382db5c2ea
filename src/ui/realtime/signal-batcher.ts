// Gathers realtime signals for a short while and hands them over as one batch: which conversations
// changed, which of them had message changes, and whether everything must be refetched. A campaign's
// status ticks or a busy inbox then cost one refetch per conversation per batch, not one per signal.
import { conversationsOf, type RealtimeSignal } from '@/core/realtime/realtime-event'

export interface SignalBatch {
  resync: boolean
  /** Conversations that changed, with whether their messages did. */
  conversations: Map<string, { messages: boolean }>
}

export function createSignalBatcher(flush: (batch: SignalBatch) => void, waitMs = 150) {
  let batch: SignalBatch | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  const send = () => {
    timer = undefined
    const ready = batch
    batch = null
    if (ready) flush(ready)
  }

  return {
    add(signal: RealtimeSignal) {
      batch ??= { resync: false, conversations: new Map() }
      if (signal.type === 'resync') batch.resync = true
      else
        for (const id of conversationsOf(signal)) {
          const messages = signal.type === 'messages' || batch.conversations.get(id)?.messages === true
          batch.conversations.set(id, { messages })
        }
      timer ??= setTimeout(send, waitMs)
    },
    /** Drops what is gathered (the listener is going away). */
    stop() {
      clearTimeout(timer)
      timer = undefined
      batch = null
    },
  }
}
