// Drains the per-number `sends:<phone_number_id>` queues as fast as Meta allows and never faster.
// Each number with work due gets a lane: it claims about a second of that number's sends at a time,
// shortly before the previous chunk runs out of slots. For a chunk, the breaker decides whether the
// number may send at all; each customer's pair rate and the portfolio's messaging limit may hold single
// messages back (released to the queue, not retried); the number's throughput slots, reserved in the
// shared store, say when each remaining message goes — so several workers together keep to the MPS.
// Failures follow `decideOnFailure`; jobs of a dead worker return after the visibility timeout.
// Campaign messages are taken back, unsent, when their campaign stops running or their contact opts out
// (checked at claim and again at the send slot, through the campaign gate). A job whose previous claim
// was lost (its worker died or stalled past the visibility timeout) may have been sent by that worker;
// every send carries its message id for Meta to echo, so such a job is not sent again until Meta's
// status webhook has had `inDoubtMs` after that claim's last possible send to adopt it.
import type { BreakerPolicy, CircuitBreaker } from '@/core/sending/circuit-breaker'
import { decideOnFailure, DEFAULT_RETRY_POLICY, type RetryPolicy } from '@/core/sending/failure-policy'
import type { ClaimedJob, JobQueue, QueueName } from '@/core/sending/job-queue'
import { SEND_QUEUE_PREFIX } from '@/core/sending/job-queue'
import { MetaWindow } from '@/core/sending/meta-window'
import { messagingLimitOf, MESSAGING_LIMIT_WINDOW_MS } from '@/core/sending/messaging-limit'
import type { Pacer } from '@/core/sending/pacer'
import { pacedRate } from '@/core/sending/paced-rate'
import type { GraphClient } from '@/core/whatsapp/graph-client'
import { classifyGraphError, GraphApiError, type GraphErrorInfo } from '@/core/whatsapp/graph-errors'
import type { Db } from '@/server/db/create-db'
import { log } from '@/server/log'
import { openAccessToken } from '@/server/whatsapp/access-token'
import { createCampaignGate } from './campaign-gate'
import { breakerKey, pairKey, portfolioKey, throughputKey } from './engine-keys'
import { flagNumber, recordFailed } from './record-send-result'
import { loadSendTargets, type SendTarget } from './send-targets'
import { retryWrite } from './retry-write'
import { createSentRecorder } from './sent-recorder'
import { takeBackCampaignMessages } from './take-back-campaign-messages'

export interface SendJob {
  messageId: string
}

export interface SendWorkerDeps {
  db: Db
  graph: GraphClient
  queue: JobQueue
  pacer: Pacer
  breaker: CircuitBreaker
  encryptionKey: string
}

export interface SendWorkerOptions {
  /** The most jobs a lane claims at once (a chunk is otherwise about `chunkSeconds` of the number's MPS). */
  batchSize: number
  chunkSeconds: number
  /**
   * A lane claims its next chunk this long before the last reserved slot, so the number never idles:
   * more than claiming and scheduling a chunk take while the previous chunk's sends keep the event loop
   * busy (100–300 ms at 1,000 MPS on two shared cores; with 100 ms the number idled a quarter of the time).
   */
  leadMs: number
  visibilityMs: number
  /** Jobs whose throughput slot is further away than this go back to the queue until then. */
  maxScheduleAheadMs: number
  /**
   * Books slots at (1 - headroom) × MPS. Each worker's own sends never bunch past the MPS at Meta (its
   * `MetaWindow`); the headroom is for several workers sharing a number, whose sends can still meet there.
   */
  rateHeadroom: number
  pairIntervalMs: number
  pairBurst: number
  breaker: BreakerPolicy
  retry: RetryPolicy
  idleMinMs: number
  idleMaxMs: number
  /**
   * How long a send whose outcome was lost (its worker died mid-send) waits for Meta's status before it
   * is tried again, counted from the lost claim plus `maxScheduleAheadMs` (the latest that worker sent).
   */
  inDoubtMs: number
  /** How often the statuses of campaigns with messages in flight are re-read (a pause takes effect within this). */
  campaignRefreshMs: number
}

export const DEFAULT_SEND_WORKER_OPTIONS: SendWorkerOptions = {
  batchSize: 1_000,
  // Short chunks keep enqueue-to-send latency low; each costs one claim round trip.
  chunkSeconds: 0.25,
  leadMs: 400,
  visibilityMs: 60_000,
  maxScheduleAheadMs: 3_000,
  rateHeadroom: 0.01,
  pairIntervalMs: 6_000,
  pairBurst: 5,
  breaker: { threshold: 5, openMs: 30_000 },
  retry: DEFAULT_RETRY_POLICY,
  idleMinMs: 25,
  idleMaxMs: 250,
  inDoubtMs: 60_000,
  campaignRefreshMs: 250,
}

export interface SendWorkerCounters {
  sent: number
  failed: number
  retried: number
  released: number
  dead: number
  /** Sends per phone number id since start; the health line turns differences into rates. */
  perNumber: Map<string, number>
}

interface Item {
  job: ClaimedJob<SendJob>
  target: SendTarget
}

/** A chunk handed to its slots: when its last slot comes, and the sends still to finish. */
interface Chunk {
  lastSlotInMs: number
  perSecond: number | null
  done: Promise<unknown>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// How a number's rate is cut when Meta answers 130429. A lone refusal at the paced rate is most often
// jitter (a few sends bunched into one of Meta's seconds on their way): a light cut, soon recovered —
// 0.7 for 30 s cost about 4.5 s of sending each time. Refusals again within 10 s mean Meta allows less
// than the tier: cut hard, once a second, until the rate is what Meta takes.
const SLOW_DOWN = {
  lone: { by: 0.9, recoveryMs: 10_000 },
  repeated: { by: 0.7, recoveryMs: 30_000 },
  repeatWithinMs: 10_000,
}

export function createSendWorker(deps: SendWorkerDeps, overrides: Partial<SendWorkerOptions> = {}) {
  const options = { ...DEFAULT_SEND_WORKER_OPTIONS, ...overrides }
  const counters: SendWorkerCounters = { sent: 0, failed: 0, retried: 0, released: 0, dead: 0, perNumber: new Map() }
  const lanes = new Map<QueueName, Promise<void>>()
  const recorder = createSentRecorder(deps)
  const gate = createCampaignGate(deps.db.sql, options.campaignRefreshMs)
  let stopping = false
  let loop: Promise<void> | undefined
  // Numbers whose breaker may hold failures from this process; a success there must reset it.
  const breakerDirty = new Set<string>()
  const lastBreakerReset = new Map<string, number>()
  // Per number: when this process last cut its rate, and its sends in Meta's one-second window (a local
  // guard so sends that fire or arrive late, after a busy event loop, never bunch past the MPS at Meta).
  const lastSlowDown = new Map<string, number>()
  const metaWindows = new Map<string, MetaWindow>()
  const metaWindowFor = ({ phoneNumberId, mps }: SendTarget) => {
    let window = metaWindows.get(phoneNumberId)
    if (!window || window.mps !== mps) metaWindows.set(phoneNumberId, (window = new MetaWindow(mps)))
    return window
  }

  // Opening a sealed token is an AES-GCM decryption, and every send of a number uses the same one.
  // Keyed by number and ciphertext: a ciphertext copied onto another number's row still fails to open.
  const tokens = new Map<string, string>()
  const tokenFor = (target: SendTarget) => {
    const key = `${target.phoneNumberId}:${target.sealedToken}`
    let token = tokens.get(key)
    if (token === undefined) {
      if (tokens.size >= 1_000) tokens.clear()
      token = openAccessToken(target.sealedToken, target.phoneNumberId, deps.encryptionKey)
      tokens.set(key, token)
    }
    return token
  }

  const release = async (queue: QueueName, job: ClaimedJob<SendJob>, delayMs: number) => {
    counters.released++
    await deps.queue.release(queue, job, Date.now() + Math.max(0, Math.round(delayMs)))
  }

  async function run() {
    let idle = options.idleMinMs
    while (!stopping) {
      let started = 0
      try {
        for (const queue of await deps.queue.readyQueues(SEND_QUEUE_PREFIX)) {
          if (lanes.has(queue)) continue
          started++
          const lane = runLane(queue)
            .catch((err) => log.error({ err, queue }, 'send lane failed; its jobs return after the visibility timeout'))
            .finally(() => lanes.delete(queue))
          lanes.set(queue, lane)
        }
      } catch (err) {
        log.error({ err }, 'listing send queues failed')
      }
      // Poll quickly while work keeps appearing, backing off when idle.
      idle = started ? options.idleMinMs : Math.min(options.idleMaxMs, idle * 2)
      await sleep(idle)
    }
    await Promise.allSettled([...lanes.values()])
  }

  async function runLane(queue: QueueName) {
    const pending = new Set<Promise<unknown>>()
    // The number's MPS is learnt from its first chunk; start small.
    let chunkSize = Math.min(options.batchSize, 20)
    try {
      while (!stopping) {
        const jobs = await deps.queue.claim<SendJob>(queue, chunkSize, options.visibilityMs)
        if (!jobs.length) return
        const chunk = await scheduleChunk(queue, jobs)
        pending.add(chunk.done)
        void chunk.done.finally(() => pending.delete(chunk.done))
        if (chunk.perSecond) chunkSize = Math.max(1, Math.min(options.batchSize, Math.ceil(chunk.perSecond * options.chunkSeconds)))
        const wait = chunk.lastSlotInMs - options.leadMs
        if (wait > 0) await sleep(wait)
      }
    } finally {
      await Promise.allSettled([...pending])
    }
  }

  async function scheduleChunk(queue: QueueName, jobs: ClaimedJob<SendJob>[]): Promise<Chunk> {
    const targets = await loadSendTargets(
      deps.db.sql,
      jobs.map((j) => j.payload.messageId),
    )
    const items: Item[] = []
    const finished: ClaimedJob<SendJob>[] = []
    const takeBack: Item[] = []
    const now = Date.now()
    for (const job of jobs) {
      const target = targets.get(job.payload.messageId)
      const inDoubtForMs = job.lostClaimAt === null ? 0 : job.lostClaimAt + options.maxScheduleAheadMs + options.inDoubtMs - now
      // Deleted, already sent (a re-delivered job) or already failed: nothing to send.
      if (!target || target.wamid || (target.status !== 'pending' && target.status !== 'queued')) finished.push(job)
      // A dead worker may have sent it: give Meta's status webhook time to tell (it adopts the wamid).
      else if (inDoubtForMs > 0) await release(queue, job, inDoubtForMs)
      else if (target.campaignId && (target.campaignStatus !== 'running' || target.contactExcluded)) takeBack.push({ job, target })
      else {
        if (target.campaignId) gate.watch(target.campaignId, target.campaignStatus)
        items.push({ job, target })
      }
    }
    if (finished.length) await deps.queue.ackMany(queue, finished)
    if (takeBack.length) await takeBackItems(queue, takeBack)
    if (!items.length) return { lastSlotInMs: 0, perSecond: null, done: Promise.resolve() }

    const first = items[0]!.target
    const bKey = breakerKey(first.phoneNumberId)
    const decision = await deps.breaker.acquire(bKey, options.breaker)
    if (!decision.allowed) {
      await Promise.all(items.map((i) => release(queue, i.job, decision.retryInMs)))
      return { lastSlotInMs: 0, perSecond: null, done: Promise.resolve() }
    }
    let candidates = items
    if (decision.probe) {
      // Half-open: one message tests the number; the others wait for its verdict.
      breakerDirty.add(bKey)
      await Promise.all(items.slice(1).map((i) => release(queue, i.job, 1_000)))
      candidates = items.slice(0, 1)
    }

    const tKey = throughputKey(first.phoneNumberId)
    const perSecond = pacedRate(first.mps, options.rateHeadroom)
    const state = (await deps.pacer.rateStates([tKey]))[tKey] ?? { factor: 1, backlogMs: 0 }
    const interval = 1000 / (perSecond * state.factor)
    // Another worker may have reserved this number's next seconds: take only what fits, and give the
    // rest back until its turn, before it spends any customer's pair-rate credit.
    const fits = Math.max(1, Math.floor((options.maxScheduleAheadMs - state.backlogMs) / interval))
    await Promise.all(candidates.slice(fits).map((i) => release(queue, i.job, state.backlogMs + fits * interval)))

    const admitted = await admit(queue, candidates.slice(0, fits))
    if (!admitted.length) return { lastSlotInMs: 0, perSecond, done: Promise.resolve() }
    const firstWait = await deps.pacer.reserve(tKey, perSecond, admitted.length)
    const halted: Item[] = []
    const done = Promise.all(
      admitted.map(async (item, i) => {
        const at = firstWait + i * interval
        if (at > 0) await sleep(at)
        // Paused or cancelled while waiting for its slot.
        if (item.target.campaignId && gate.halted(item.target.campaignId)) return void halted.push(item)
        // Its place is taken and it is handed to Meta in the same turn, so it leaves at the moment counted.
        const window = metaWindowFor(first)
        await window.take()
        await send(queue, item, window)
      }),
    )
      .then(() => takeBackItems(queue, halted))
      .catch((err) => log.error({ err, queue }, 'send failed unexpectedly; the job returns after the visibility timeout'))
    return { lastSlotInMs: firstWait + (admitted.length - 1) * interval, perSecond, done }
  }

  async function takeBackItems(queue: QueueName, items: Item[]) {
    if (!items.length) return
    await takeBackCampaignMessages(
      deps.db,
      items.map((i) => i.target.messageId),
    )
    await deps.queue.ackMany(
      queue,
      items.map((i) => i.job),
    )
  }

  /** The per-customer gates: the portfolio's messaging limit, then the pair rate (one round trip per chunk). */
  async function admit(queue: QueueName, items: Item[]): Promise<Item[]> {
    const withinLimit = (
      await Promise.all(
        items.map(async (item) => {
          const limit = messagingLimitOf({ tier: item.target.messagingLimitTier, limit: item.target.messagingLimit })
          if (!item.target.businessInitiated || !Number.isFinite(limit)) return item
          const wait = await deps.pacer.admitUnique(portfolioKey(item.target.portfolioKey), item.target.waId, limit, MESSAGING_LIMIT_WINDOW_MS)
          if (wait === 0) return item
          await release(queue, item.job, wait)
          return null
        }),
      )
    ).filter((i): i is Item => i !== null)
    if (!withinLimit.length) return []
    const waits = await deps.pacer.tryTakeMany(
      withinLimit.map((i) => pairKey(i.target.phoneNumberId, i.target.waId)),
      options.pairIntervalMs,
      options.pairBurst,
    )
    await Promise.all(withinLimit.map((item, i) => (waits[i]! > 0 ? release(queue, item.job, waits[i]!) : null)))
    return withinLimit.filter((_, i) => waits[i] === 0)
  }

  async function send(queue: QueueName, { job, target }: Item, window: MetaWindow) {
    const bKey = breakerKey(target.phoneNumberId)
    let wamid: string
    try {
      const token = tokenFor(target)
      // Meta echoes this in the message's status webhooks: how a send whose answer was lost is recognised.
      const body = target.body.biz_opaque_callback_data ? target.body : { ...target.body, biz_opaque_callback_data: target.messageId }
      wamid = (await deps.graph.sendMessage(target.phoneNumberId, token, body)).wamid
    } catch (error) {
      const info = error instanceof GraphApiError ? error.info : classifyGraphError({ cause: error })
      await handleFailure(queue, job, target, info)
      return
    } finally {
      // Answered, refused, or never sent (a token that does not open): the place frees a second from now.
      window.answer(Date.now())
    }
    counters.sent++
    counters.perNumber.set(target.phoneNumberId, (counters.perNumber.get(target.phoneNumberId) ?? 0) + 1)
    await recorder.record(queue, target.messageId, wamid, job)
    const lastReset = lastBreakerReset.get(bKey) ?? 0
    if (breakerDirty.has(bKey) || Date.now() - lastReset > 1_000) {
      breakerDirty.delete(bKey)
      lastBreakerReset.set(bKey, Date.now())
      await deps.breaker.success(bKey)
    }
  }

  async function handleFailure(queue: QueueName, job: ClaimedJob<SendJob>, target: SendTarget, info: GraphErrorInfo) {
    const decision = decideOnFailure(info, job.attempts, options.retry)
    const bKey = breakerKey(target.phoneNumberId)
    // Admins learn at the first refusal that the token needs reconnecting; the retries may still succeed after.
    if (info.kind === 'auth') await flagNumber(deps.db.sql, target.numberId, info)
    if (decision.action !== 'fail' && decision.breakerFailure) {
      breakerDirty.add(bKey)
      const state = await deps.breaker.failure(bKey, options.breaker)
      if (state.phase === 'open') log.warn({ phoneNumberId: target.phoneNumberId, code: info.code }, 'breaker open for number')
    }
    if (decision.action === 'retry') {
      // One cut per second: a burst of 130429s is one signal, not twenty halvings.
      const sinceCut = Date.now() - (lastSlowDown.get(target.phoneNumberId) ?? 0)
      if (decision.slowNumber && sinceCut > 1_000) {
        lastSlowDown.set(target.phoneNumberId, Date.now())
        const cut = sinceCut < SLOW_DOWN.repeatWithinMs ? SLOW_DOWN.repeated : SLOW_DOWN.lone
        await deps.pacer.slowDown(throughputKey(target.phoneNumberId), cut.by, cut.recoveryMs)
      }
      counters.retried++
      await deps.queue.retry(queue, job, Date.now() + decision.delayMs, `${info.code ?? info.kind}: ${info.title}`)
      return
    }
    counters.failed++
    await retryWrite(() => recordFailed(deps.db, target, info))
    if (decision.action === 'dead') {
      counters.dead++
      await deps.queue.deadLetter(queue, job, decision.reason)
    } else {
      await deps.queue.ack(queue, job)
    }
  }

  return {
    counters,
    start() {
      gate.start()
      loop ??= run()
      return loop
    },
    /** Stops claiming and resolves once every claimed job has been sent, retried or released. */
    async stop() {
      stopping = true
      await loop
      await recorder.drain()
      gate.stop()
    },
  }
}

export type SendWorker = ReturnType<typeof createSendWorker>
