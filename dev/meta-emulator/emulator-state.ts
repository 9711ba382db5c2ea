// Everything the Meta emulator remembers: options, the runtime config, the number registry and the
// in-memory stores the handlers share. One object, so `reset` and tests can see and clear it all.
import { createPrng, type Prng } from './prng'

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN'

export interface NumberInput {
  phoneNumberId: string
  wabaId: string
  accessToken: string
  displayPhoneNumber: string
  verifiedName: string
  mps?: number
  qualityRating?: QualityRating
  messagingLimitTier?: string
}
export type RegisteredNumber = Required<NumberInput>

// The two permissions a WhatsApp token carries (a system user's or a business integration token's).
export const PERMISSIONS = ['whatsapp_business_management', 'whatsapp_business_messaging'] as const
export type Permission = (typeof PERMISSIONS)[number]

/** A token granted access to WABAs (and through them to their numbers), as a system user is assigned the WABA asset. */
export interface TokenGrantInput {
  accessToken: string
  wabaIds: string[]
  /** Both by default; a token without whatsapp_business_management cannot read or subscribe to the WABA. */
  permissions?: Permission[]
}

/** A WhatsApp Business Account: its numbers are the registered numbers whose wabaId it is. */
export interface Waba {
  wabaId: string
  name: string
  // App id → the app's subscription to this WABA's webhooks.
  subscribedApps: Map<string, { overrideCallbackUri: string | null; subscribedAt: string }>
}

// How status webhooks are posted: `off` one status per POST; `on` gathered per number into batches; `auto`
// batched only while the number's statuses fall due faster than `statusBatchThreshold` a second, as Meta
// packs a busy number's statuses together and posts a quiet number's one by one.
export const STATUS_BATCHING_MODES = ['auto', 'on', 'off'] as const
export type StatusBatching = (typeof STATUS_BATCHING_MODES)[number]

export interface StatusDelays {
  sent: number
  delivered: number
  read: number
}

export interface EmulatorConfig {
  webhookUrl: string | undefined
  appSecret: string
  statusDelays: StatusDelays
  jitterMs: number
  lossRate: number
  duplicateRate: number
  reorderRate: number
  autoRead: boolean
  pairRateWindowMs: number
  pairRateBurst: number
  templateApprovalMs: number
  webhookRetryDelaysMs: number[]
  webhookTimeoutMs: number
  /** Webhook POSTs open at once; the rest wait their turn, as Meta's delivery queues do when an endpoint is slow. */
  webhookConcurrency: number
  statusBatching: StatusBatching
  /** Statuses a second (over the last second, per number) above which `auto` batches. */
  statusBatchThreshold: number
  /** How long a batch gathers the statuses falling due after its first. */
  statusBatchWindowMs: number
  /** The most statuses in one POST; a full batch is posted at once. */
  statusBatchMax: number
  seed: number
}

export interface MetaEmulatorOptions extends Partial<Omit<EmulatorConfig, 'statusDelays'>> {
  port?: number
  host?: string
  numbers?: NumberInput[]
  /** Tokens granted to WABAs besides each number's own token (which always reads its number's WABA). */
  tokens?: TokenGrantInput[]
  statusDelays?: Partial<StatusDelays>
  log?: (line: string) => void
}

export interface WebhookCounters {
  posted: number
  failed: number
  retried: number
  lost: number
  duplicated: number
  /** Statuses in the POSTs the app accepted: with batching, several per POST. */
  statusesPosted: number
}

export interface NumberStats {
  accepted: number
  markedRead: number
  inbound: number
  rejected: Record<string, number>
  failedAsync: Record<string, number>
  webhooks: WebhookCounters
}

export interface SentRecord {
  wamid: string
  phoneNumberId: string
  to: string
  waId: string
  type: string
  body: unknown
  acceptedAt: string
  failure?: { code: number; title: string }
}

export interface ReadReceipt {
  phoneNumberId: string
  messageId: string
  typingIndicator: boolean
  at: string
}

export interface MediaObject {
  id: string
  phoneNumberId: string
  wabaId: string
  mimeType: string
  bytes: Buffer
  sha256Hex: string
  filename?: string
  createdAt: number
}

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'

export interface Template {
  id: string
  wabaId: string
  name: string
  language: string
  category: TemplateCategory
  status: string
  parameterFormat: 'POSITIONAL' | 'NAMED'
  components: Record<string, unknown>[]
}

export interface TransientFailure {
  code: 131000 | 2 | 131016
  until: number
  remaining: number | undefined
}

/** Statuses of one number gathered for a single POST, and how to cancel the timer that will post them. */
export interface StatusOutbox {
  number: RegisteredNumber
  statuses: QueuedStatus[]
  cancelFlush: () => void
}

export interface QueuedStatus {
  /** The status object exactly as it goes into `statuses[]`. */
  status: unknown
  /** Set when the plan duplicates this status: it is posted again this long after it was first posted. */
  redeliverAfterMs?: number
}

export interface EmulatorState {
  config: EmulatorConfig
  numbers: Map<string, RegisteredNumber>
  wabas: Map<string, Waba>
  // Explicit grants: token → WABA id → the permissions it holds there. A number's own token is an implicit grant.
  grants: Map<string, Map<string, Set<Permission>>>
  // `${phoneNumberId}:${waId}` → ms of the customer's last inbound message (opens the 24 h window).
  lastInbound: Map<string, number>
  // Accepted-send times per number for the 1-second throughput window, oldest first.
  sendTimes: Map<string, number[]>
  // `${phoneNumberId}:${waId}` → the pair-rate token bucket: messages of credit left at time `at`.
  pairCredit: Map<string, { credit: number; at: number }>
  /** Recipients whose accepted sends fail later, with the failure code. */
  undeliverable: Map<string, number>
  failures: Map<string, TransientFailure>
  // When each number's recent statuses fell due, oldest first: the rate that `auto` batching compares.
  statusDueTimes: Map<string, number[]>
  // Per number, the batch of statuses waiting for its flush.
  statusOutboxes: Map<string, StatusOutbox>
  sent: SentRecord[]
  readReceipts: ReadReceipt[]
  media: Map<string, MediaObject>
  templates: Map<string, Template>
  // WABAs that got the sample templates once; deleting them all must not bring them back.
  seededWabas: Set<string>
  stats: Map<string, NumberStats>
  totals: WebhookCounters
  prng: Prng
  timers: Set<NodeJS.Timeout>
  inFlight: Set<AbortController>
  /** Deliveries waiting for one of the `webhookConcurrency` slots. */
  webhookWaiters: (() => void)[]
  baseUrl: string
  stopped: boolean
  log: (line: string) => void
}

export const DEFAULT_CONFIG: EmulatorConfig = {
  webhookUrl: undefined,
  appSecret: 'local-meta-app-secret',
  statusDelays: { sent: 50, delivered: 150, read: 400 },
  jitterMs: 20,
  lossRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  autoRead: true,
  pairRateWindowMs: 6000,
  pairRateBurst: 45,
  templateApprovalMs: 300,
  webhookRetryDelaysMs: [250, 1000, 4000, 15_000],
  webhookTimeoutMs: 10_000,
  webhookConcurrency: 50,
  statusBatching: 'auto',
  statusBatchThreshold: 50,
  statusBatchWindowMs: 50,
  statusBatchMax: 100,
  seed: 1,
}

const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof EmulatorConfig)[]

export function configFromOptions(options: MetaEmulatorOptions): EmulatorConfig {
  const given = Object.fromEntries(CONFIG_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]))
  return { ...DEFAULT_CONFIG, ...given, statusDelays: { ...DEFAULT_CONFIG.statusDelays, ...options.statusDelays } }
}

export function createState(options: MetaEmulatorOptions): EmulatorState {
  const config = configFromOptions(options)
  const state: EmulatorState = {
    config,
    numbers: new Map(),
    wabas: new Map(),
    grants: new Map(),
    lastInbound: new Map(),
    sendTimes: new Map(),
    pairCredit: new Map(),
    undeliverable: new Map(),
    failures: new Map(),
    statusDueTimes: new Map(),
    statusOutboxes: new Map(),
    sent: [],
    readReceipts: [],
    media: new Map(),
    templates: new Map(),
    seededWabas: new Set(),
    stats: new Map(),
    totals: emptyCounters(),
    prng: createPrng(config.seed),
    timers: new Set(),
    inFlight: new Set(),
    webhookWaiters: [],
    baseUrl: '',
    stopped: false,
    log: options.log ?? (() => {}),
  }
  return state
}

export function cancelPending(state: EmulatorState) {
  for (const t of state.timers) clearTimeout(t)
  state.timers.clear()
  for (const c of state.inFlight) c.abort()
  state.inFlight.clear()
  for (const wake of state.webhookWaiters.splice(0)) wake()
  // Their flush timers are gone with the others; the statuses they held are never posted.
  state.statusOutboxes.clear()
}

// Every delayed action goes through here so stop() and reset can cancel it. Returns a cancel of its own.
export function schedule(state: EmulatorState, ms: number, run: () => void | Promise<void>): () => void {
  if (state.stopped) return () => {}
  const timer = setTimeout(() => {
    state.timers.delete(timer)
    void Promise.resolve()
      .then(run)
      .catch((error: unknown) => state.log(`meta-emulator: scheduled task failed: ${String(error)}`))
  }, Math.max(0, ms))
  state.timers.add(timer)
  return () => {
    clearTimeout(timer)
    state.timers.delete(timer)
  }
}

export const emptyCounters = (): WebhookCounters => ({ posted: 0, failed: 0, retried: 0, lost: 0, duplicated: 0, statusesPosted: 0 })

export function statsFor(state: EmulatorState, phoneNumberId: string): NumberStats {
  let stats = state.stats.get(phoneNumberId)
  if (!stats) {
    stats = { accepted: 0, markedRead: 0, inbound: 0, rejected: {}, failedAsync: {}, webhooks: emptyCounters() }
    state.stats.set(phoneNumberId, stats)
  }
  return stats
}

export const pairKey = (phoneNumberId: string, waId: string) => `${phoneNumberId}:${waId}`

// Meta's wa_id is the recipient's digits: no '+', spaces, dashes or brackets.
export const toWaId = (input: string) => input.replace(/[^\d]/g, '')

export const digitsOf = (display: string) => display.replace(/[^\d]/g, '')
