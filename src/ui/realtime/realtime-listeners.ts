// The in-page fan-out between the one live connection and every component listening to it.
import type { RealtimeSignal } from '@/core/realtime/realtime-event'

type Listener = (signal: RealtimeSignal) => void
const listeners = new Set<Listener>()

export const realtimeListeners = {
  add(listener: Listener) {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  },
  emit(signal: RealtimeSignal) {
    for (const listener of listeners) listener(signal)
  },
}
