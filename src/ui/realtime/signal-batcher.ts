// Gathers realtime signals into batches: which conversations changed, which of them had message
// changes, and whether everything must be refetched. A signal arriving while all is quiet is handed over
// at once (a new message shows without delay, and a resync right after connecting refetches then, not
// later, when the session may have ended); signals that follow within `waitMs` are gathered and handed
// over together when it ends, so a campaign's status ticks cost one refetch per conversation per batch.
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
    const ready = batch
    batch = null
    if (!ready) {
      timer = undefined
      return
    }
    flush(ready)
    timer = setTimeout(send, waitMs)
  }

  return {
    add(signal: RealtimeSignal) {
      // Changes outside the inbox (a template's review) are for other listeners.
      if (signal.type !== 'resync' && conversationsOf(signal).length === 0) return
      batch ??= { resync: false, conversations: new Map() }
      if (signal.type === 'resync') batch.resync = true
      else
        for (const id of conversationsOf(signal)) {
          const messages = signal.type === 'messages' || batch.conversations.get(id)?.messages === true
          batch.conversations.set(id, { messages })
        }
      if (!timer) send()
    },
    /** Drops what is gathered (the listener is going away). */
    stop() {
      clearTimeout(timer)
      timer = undefined
      batch = null
    },
  }
}
