// `npm run bench:realtime`: how long a change takes to reach an open inbox. A member's browser is
// stood in for by an event-stream client that, like the inbox, refetches the messages when told. Two
// paths: a customer message (signed webhook → stored → worker → NOTIFY → stream) and an agent's reply
// seen by a colleague (API → commit → NOTIFY → stream). Each sample is sent alone and timed until the
// refetched list holds it. Starts its own stack unless BENCH_URL is set.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { RealtimeEvent } from '@/core/realtime/realtime-event'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'
import { loadLocalSecrets } from '../../dev/local-secrets'
import { DEMO_NUMBER, textWebhook } from '../e2e/support/meta'
import { percentile } from '../load/support/timing'
import { signIn, startBenchStack } from './support/bench-stack'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100)
const PORT = Number(process.env.BENCH_PORT ?? 3210)
const DATA_DIR = '.data/bench-realtime'

/** The workspace's event stream; `next()` resolves with the next change the stream announces. */
async function openStream(base: string, cookie: string) {
  const res = await fetch(`${base}/api/realtime`, { headers: { cookie } })
  if (!res.ok || !res.body) throw new Error(`event stream refused: ${res.status}`)
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  type Event = RealtimeEvent
  const waiting: { resolve(event: Event): void; reject(error: Error): void }[] = []
  const queued: Event[] = []
  let ended: Error | undefined
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }))
      if (done) {
        ended = new Error('the event stream closed')
        for (const w of waiting.splice(0)) w.reject(ended)
        return
      }
      buffer += decoder.decode(value, { stream: true })
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: {"type"'))
        buffer = buffer.slice(end + 2)
        if (!data) continue
        const event = JSON.parse(data.slice(6))
        const take = waiting.shift()
        if (take) take.resolve(event)
        else queued.push(event)
      }
    }
  })()
  return {
    next: () =>
      new Promise<Event>((resolve, reject) => {
        if (queued.length) resolve(queued.shift()!)
        else if (ended) reject(ended)
        else waiting.push({ resolve, reject })
      }),
    drain: () => void queued.splice(0),
    close: () => reader.cancel(),
  }
}

type Stream = Awaited<ReturnType<typeof openStream>>

const GIVE_UP_MS = 10_000

/** Waits for announcements until the refetched conversation holds a message matching `seen`. */
async function untilVisible(stream: Stream, base: string, cookie: string, seen: (m: { id: string; wamid: string | null }) => boolean) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing announced the change within ${GIVE_UP_MS / 1000} s`)), GIVE_UP_MS)
  })
  try {
    return await Promise.race([waitVisible(stream, base, cookie, seen), giveUp])
  } finally {
    clearTimeout(timer)
  }
}

async function waitVisible(stream: Stream, base: string, cookie: string, seen: (m: { id: string; wamid: string | null }) => boolean) {
  for (;;) {
    const event = await stream.next()
    if (event.type !== 'messages') continue
    for (const conversationId of event.conversationIds) {
      // Meta's timestamps have whole seconds, so samples of one second share one and come back in any
      // order: a page large enough for every sample of a second.
      const { messages } = await (await fetch(`${base}/api/conversations/${conversationId}/messages?limit=100`, { headers: { cookie } })).json()
      const found = (messages as { id: string; wamid: string | null }[]).find(seen)
      if (found) return { conversationId, messageId: found.id }
    }
  }
}

function summary(label: string, samples: number[]) {
  samples.sort((a, b) => a - b)
  return { path: label, samples: samples.length, p50: percentile(samples, 50).toFixed(1), p95: percentile(samples, 95).toFixed(1), max: samples.at(-1)!.toFixed(1), 'within 1 s': `${samples.filter((s) => s < 1000).length}/${samples.length}` }
}

async function main() {
  const own = process.env.BENCH_URL ? null : await startBenchStack({ database: 'conversa_bench_realtime', dataDir: DATA_DIR, port: PORT })
  const base = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`
  try {
    const secret = process.env.META_APP_SECRET ?? (await loadLocalSecrets(DATA_DIR)).META_APP_SECRET
    const watcher = await signIn(base)
    const writer = await signIn(base)
    const stream = await openStream(base, watcher)
    const customer = `4479${String(Date.now()).slice(-7)}`
    const inbound: number[] = []
    const replies: number[] = []
    let conversationId = ''

    for (let i = -3; i < SAMPLES; i++) {
      stream.drain()
      const wamid = `wamid.realtime.${randomUUID()}`
      const body = textWebhook(customer, wamid, `live ${i}`, 'Realtime Rita')
      const t0 = performance.now()
      const res = await fetch(`${base}/api/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, secret) }, body })
      if (!res.ok) throw new Error(`webhook refused: ${res.status}`)
      conversationId = (await untilVisible(stream, base, watcher, (m) => m.wamid === wamid)).conversationId
      if (i >= 0) inbound.push(performance.now() - t0) // the first few warm the routes up
    }

    // The customer's messages went straight to our webhook, to time our path alone: tell Meta's stand-in
    // they wrote, or it refuses the replies (131047) and the window closes as Meta says.
    const emulator = process.env.BENCH_EMULATOR_URL ?? `http://127.0.0.1:${PORT + 1000}`
    const opened = await fetch(`${emulator}/control/set-window`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumberId: DEMO_NUMBER.phoneNumberId, waId: customer, hoursAgo: 0 }),
    })
    if (!opened.ok) throw new Error(`the Meta emulator did not open the window: ${opened.status} ${await opened.text()}`)

    for (let i = -3; i < SAMPLES; i++) {
      stream.drain()
      const t0 = performance.now()
      const res = await fetch(`${base}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: writer, origin: base },
        body: JSON.stringify({ type: 'text', text: { body: `reply ${i}` } }),
      })
      if (res.status !== 202) throw new Error(`reply refused: ${res.status} ${await res.text()}`)
      const { message } = (await res.json()) as { message: { id: string } }
      await untilVisible(stream, base, watcher, (m) => m.id === message.id)
      if (i >= 0) replies.push(performance.now() - t0)
    }
    await stream.close()

    console.log('\nlive updates — from the change to a colleague’s refetched inbox (ms)')
    console.table([summary('customer message (webhook → worker → stream)', inbound), summary('agent reply (API → stream)', replies)])
  } finally {
    await own?.stop()
  }
}

await main()
