// The embedded and self-hosted realtime adapter: our own server-sent event stream (/api/realtime).
import { realtimeEventSchema, type RealtimeSignal } from '@/core/realtime/realtime-event'

const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000]

export function connectEventStream(emit: (signal: RealtimeSignal) => void): () => void {
  let source: EventSource | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let failures = 0
  let stopped = false

  const open = () => {
    source = new EventSource('/api/realtime')
    // `ready` follows every (re)connect: whatever happened while disconnected is refetched.
    const resync = () => {
      failures = 0
      emit({ type: 'resync' })
    }
    source.addEventListener('ready', resync)
    source.addEventListener('resync', resync)
    source.onmessage = (message) => {
      const parsed = realtimeEventSchema.safeParse(JSON.parse(message.data))
      if (parsed.success) emit(parsed.data)
    }
    source.onerror = () => {
      // EventSource retries network errors itself but gives up for good on an HTTP error (say, a 401
      // after the session was renewed elsewhere): then start a new one, backing off.
      if (source?.readyState !== EventSource.CLOSED || stopped) return
      retryTimer = setTimeout(open, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)])
    }
  }
  open()
  return () => {
    stopped = true
    clearTimeout(retryTimer)
    source?.close()
  }
}
