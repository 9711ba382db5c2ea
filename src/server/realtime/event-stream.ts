// Server-sent events for one signed-in member: the workspace's changes as they commit, a heartbeat so
// proxies keep the connection, and an end when the session expires so the browser reconnects with a
// fresh one (EventSource reconnects by itself).
import type { RealtimeSignal } from '@/core/realtime/realtime-event'
import { subscribeToTenant } from './realtime-hub'

const HEARTBEAT_MS = 20_000
const encoder = new TextEncoder()

export async function openEventStream(args: { tenantId: string; sessionExpiresAt: Date; signal: AbortSignal }): Promise<Response> {
  let stop = () => {}
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false
      const cleanups: (() => void)[] = []
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text))
      }
      const close = () => {
        if (closed) return
        closed = true
        for (const cleanup of cleanups) cleanup()
        controller.close()
      }
      stop = close
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS)
      const expiry = setTimeout(close, Math.max(0, args.sessionExpiresAt.getTime() - Date.now()))
      cleanups.push(() => clearInterval(heartbeat), () => clearTimeout(expiry))
      args.signal.addEventListener('abort', close)
      const unsubscribe = await subscribeToTenant(args.tenantId, (signal: RealtimeSignal) =>
        signal.type === 'resync' ? send('event: resync\ndata: {}\n\n') : send(`data: ${JSON.stringify(signal)}\n\n`),
      )
      if (closed) return unsubscribe()
      cleanups.push(unsubscribe)
      // Sent once listening: the page refetches then, covering anything that changed before.
      send('retry: 3000\nevent: ready\ndata: {}\n\n')
    },
    cancel: () => stop(),
  })
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  })
}
