// The emulator's own API under /control (no auth: local tests and demos only). It registers numbers under
// their WABAs and grants tokens to WABAs, plays the customer (inbound messages), shows what was sent, counts,
// and bends behaviour at runtime: rates, delays, windows, outages, undeliverable recipients, template statuses.
// Errors use our shape.
import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { notFound, AppError } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { cancelPending, createState, pairKey, PERMISSIONS, STATUS_BATCHING_MODES, toWaId, type EmulatorState, type MetaEmulatorOptions } from './emulator-state'
import { injectInbound } from './inbound-messages'
import { json, parseJson, readBody, type Reply } from './http-io'
import { addNumber } from './phone-numbers'
import { createPrng } from './prng'
import { windowOpen } from './send-message'
import { queuedStatuses } from './status-outbox'
import { EMULATED_APP } from './subscribed-apps'
import { setTemplateStatus } from './templates'
import { describeGrant, ensureWaba, grantToken, numbersOf } from './waba-access'
import { deliverWebhook, webhookBytes } from './webhook-delivery'

const MAX_CONTROL_BODY = 20 * 1024 * 1024

export const numberSchema = z.strictObject({
  phoneNumberId: z.string().regex(/^\d+$/, 'must be digits'),
  wabaId: z.string().regex(/^\d+$/, 'must be digits'),
  accessToken: z.string().min(1),
  displayPhoneNumber: z.string().min(1),
  verifiedName: z.string().min(1),
  mps: z.number().int().positive().optional(),
  qualityRating: z.enum(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']).optional(),
  messagingLimitTier: z.string().optional(),
})

const digits = z.string().regex(/^\d+$/, 'must be digits')
// A token granted to WABAs: it reads them (whatsapp_business_management) and sends from their numbers
// (whatsapp_business_messaging); both unless `permissions` says otherwise.
export const tokenGrantSchema = z.strictObject({
  accessToken: z.string().min(1),
  wabaIds: z.array(digits).min(1),
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
})
const wabaSchema = z.strictObject({ wabaId: digits, name: z.string().min(1).optional() })

const rate = z.number().min(0).max(1)
const ms = z.number().int().min(0)
const configSchema = z.strictObject({
  webhookUrl: z.url().nullable().optional(),
  appSecret: z.string().min(1).optional(),
  statusDelays: z.strictObject({ sent: ms, delivered: ms, read: ms }).partial().optional(),
  jitterMs: ms.optional(),
  lossRate: rate.optional(),
  duplicateRate: rate.optional(),
  reorderRate: rate.optional(),
  autoRead: z.boolean().optional(),
  pairRateWindowMs: ms.optional(),
  pairRateBurst: z.number().int().min(1).max(1000).optional(),
  templateApprovalMs: ms.optional(),
  webhookRetryDelaysMs: z.array(ms).max(20).optional(),
  webhookTimeoutMs: ms.optional(),
  webhookConcurrency: z.number().int().min(1).max(10_000).optional(),
  statusBatching: z.enum(STATUS_BATCHING_MODES).optional(),
  statusBatchThreshold: z.number().int().min(0).optional(),
  statusBatchWindowMs: ms.optional(),
  statusBatchMax: z.number().int().min(1).max(1000).optional(),
  seed: z.number().int().optional(),
})

const setWindowSchema = z
  .strictObject({
    phoneNumberId: z.string().min(1),
    waId: z.string().min(1),
    // When the customer last wrote: ISO time or epoch ms; null means never.
    lastInboundAt: z.union([z.iso.datetime({ offset: true }), z.number(), z.null()]).optional(),
    hoursAgo: z.number().min(0).optional(),
  })
  .refine((v) => (v.lastInboundAt === undefined) !== (v.hoursAgo === undefined), { message: 'give exactly one of lastInboundAt or hoursAgo' })

const failNumberSchema = z.strictObject({
  phoneNumberId: z.string().min(1),
  // 131000 → HTTP 500, 2 and 131016 → HTTP 503, as Meta answers them.
  code: z.union([z.literal(131000), z.literal(2), z.literal(131016)]).default(131000),
  durationMs: ms.default(10_000),
  // Fail only the next N requests (within durationMs).
  count: z.number().int().positive().optional(),
})

// The code of the `failed` status webhook: 131026 (undeliverable), 131049 (held back for ecosystem engagement),
// 131050 (the user stopped marketing messages).
const undeliverableSchema = z.strictObject({
  waId: z.string().min(1),
  undeliverable: z.boolean().default(true),
  code: z.union([z.literal(131026), z.literal(131049), z.literal(131050)]).default(131026),
})

const templateStatusSchema = z.strictObject({
  wabaId: z.string().min(1),
  name: z.string().min(1),
  language: z.string().optional(),
  status: z.enum(['APPROVED', 'REJECTED', 'PENDING', 'PAUSED', 'DISABLED', 'FLAGGED', 'REINSTATED', 'IN_APPEAL']),
  reason: z.string().default('NONE'),
})

const publicConfig = (state: EmulatorState) => {
  const { appSecret, ...config } = state.config
  return { ...config, appSecretSet: appSecret.length > 0 }
}

export function resetEmulator(state: EmulatorState, options: MetaEmulatorOptions) {
  cancelPending(state)
  const { baseUrl, log } = state
  Object.assign(state, createState(options), { baseUrl, log })
  for (const n of options.numbers ?? []) addNumber(state, n)
  for (const g of options.tokens ?? []) grantToken(state, g)
}

// What Meta knows of a WABA: its numbers, the tokens that can see it and the apps subscribed to its webhooks.
function describeWaba(state: EmulatorState, wabaId: string) {
  const waba = state.wabas.get(wabaId)!
  const tokens = [...state.grants]
    .filter(([, grants]) => grants.has(wabaId))
    .map(([token, grants]) => ({ accessToken: token, permissions: [...grants.get(wabaId)!] }))
  return {
    wabaId,
    name: waba.name,
    phoneNumberIds: numbersOf(state, wabaId).map((n) => n.phoneNumberId),
    // Each number's own token reads the WABA too; these are the grants besides those.
    tokens,
    subscribedApps: [...waba.subscribedApps].map(([id, s]) => ({ id, name: EMULATED_APP.name, ...s })),
  }
}

async function body(req: IncomingMessage) {
  const raw = await readBody(req, MAX_CONTROL_BODY)
  const parsed = parseJson(raw)
  if (raw.length && parsed === undefined) throw new AppError('bad_request', 'the body must be JSON')
  return parsed ?? {}
}

export async function controlApi(state: EmulatorState, options: MetaEmulatorOptions, req: IncomingMessage, url: URL): Promise<Reply> {
  const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`
  const q = url.searchParams
  switch (route) {
    case 'GET /control/numbers':
      return json(200, { numbers: [...state.numbers.values()] })
    case 'POST /control/numbers': {
      const input = await body(req)
      const list = parseInput(z.array(numberSchema).min(1), Array.isArray(input) ? input : [input])
      return json(200, { numbers: list.map((n) => addNumber(state, n)) })
    }
    case 'GET /control/wabas': {
      const ids = q.get('wabaId') ? [q.get('wabaId')!].filter((id) => state.wabas.has(id)) : [...state.wabas.keys()]
      return json(200, { wabas: ids.map((id) => describeWaba(state, id)) })
    }
    case 'POST /control/wabas': {
      const input = await body(req)
      const list = parseInput(z.array(wabaSchema).min(1), Array.isArray(input) ? input : [input])
      return json(200, { wabas: list.map((w) => describeWaba(state, ensureWaba(state, w.wabaId, w.name).wabaId)) })
    }
    case 'GET /control/tokens': {
      const tokens = q.get('accessToken') ? [q.get('accessToken')!] : [...state.grants.keys()]
      return json(200, { tokens: tokens.map((token) => describeGrant(state, token)) })
    }
    case 'POST /control/tokens': {
      const input = await body(req)
      const list = parseInput(z.array(tokenGrantSchema).min(1), Array.isArray(input) ? input : [input])
      return json(200, { tokens: list.map((g) => grantToken(state, g)) })
    }
    case 'POST /control/inbound': {
      const { wamids, mediaIds, delivered, status } = await injectInbound(state, await body(req))
      return json(200, { wamid: wamids[0], wamids, mediaId: mediaIds[0], mediaIds, delivered, status })
    }
    case 'GET /control/sent': {
      const to = q.get('to') && toWaId(q.get('to')!)
      const data = state.sent.filter((s) => (!q.get('phoneNumberId') || s.phoneNumberId === q.get('phoneNumberId')) && (!to || s.waId === to))
      return json(200, { data })
    }
    case 'GET /control/read-receipts':
      return json(200, { data: state.readReceipts.filter((r) => !q.get('phoneNumberId') || r.phoneNumberId === q.get('phoneNumberId')) })
    case 'GET /control/stats':
      return json(200, {
        numbers: Object.fromEntries(state.stats),
        webhooks: state.totals,
        // Scheduled webhooks/flushes/retries/approvals, statuses waiting in a batch and webhook POSTs in flight
        // or queued: 0 means the emulator is idle.
        pending: state.timers.size + queuedStatuses(state) + state.inFlight.size + state.webhookWaiters.length,
      })
    case 'GET /control/config':
      return json(200, { config: publicConfig(state) })
    case 'POST /control/config': {
      const patch = parseInput(configSchema, await body(req))
      const { statusDelays, webhookUrl, ...rest } = patch
      Object.assign(state.config, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)))
      if (statusDelays) state.config.statusDelays = { ...state.config.statusDelays, ...statusDelays }
      if (webhookUrl !== undefined) state.config.webhookUrl = webhookUrl ?? undefined
      if (patch.seed !== undefined) state.prng = createPrng(patch.seed)
      return json(200, { config: publicConfig(state) })
    }
    case 'POST /control/set-window': {
      const input = parseInput(setWindowSchema, await body(req))
      if (!state.numbers.has(input.phoneNumberId)) throw notFound(`phone number ${input.phoneNumberId}`)
      const waId = toWaId(input.waId)
      const key = pairKey(input.phoneNumberId, waId)
      const at =
        input.hoursAgo !== undefined
          ? Date.now() - input.hoursAgo * 3_600_000
          : input.lastInboundAt === null
            ? null
            : new Date(input.lastInboundAt!).getTime()
      if (at === null) state.lastInbound.delete(key)
      else state.lastInbound.set(key, at)
      return json(200, {
        phoneNumberId: input.phoneNumberId,
        waId,
        lastInboundAt: at === null ? null : new Date(at).toISOString(),
        windowOpen: windowOpen(state, input.phoneNumberId, waId, Date.now()),
      })
    }
    case 'POST /control/fail-number': {
      const input = parseInput(failNumberSchema, await body(req))
      if (!state.numbers.has(input.phoneNumberId)) throw notFound(`phone number ${input.phoneNumberId}`)
      const until = Date.now() + input.durationMs
      if (input.durationMs === 0) state.failures.delete(input.phoneNumberId)
      else state.failures.set(input.phoneNumberId, { code: input.code, until, remaining: input.count })
      return json(200, {
        phoneNumberId: input.phoneNumberId,
        code: input.code,
        httpStatus: input.code === 131000 ? 500 : 503,
        until: new Date(until).toISOString(),
        remaining: input.count ?? null,
      })
    }
    case 'POST /control/undeliverable': {
      const input = parseInput(undeliverableSchema, await body(req))
      const waId = toWaId(input.waId)
      if (input.undeliverable) state.undeliverable.set(waId, input.code)
      else state.undeliverable.delete(waId)
      return json(200, { waId, undeliverable: input.undeliverable, code: input.code })
    }
    case 'POST /control/template-status': {
      const input = parseInput(templateStatusSchema, await body(req))
      const template = [...state.templates.values()].find(
        (t) => t.wabaId === input.wabaId && t.name === input.name && (!input.language || t.language === input.language),
      )
      if (!template) throw notFound(`template ${input.name}`)
      const result = await setTemplateStatus(state, template, input.status, input.reason)
      return json(200, { id: template.id, status: template.status, delivered: result.delivered, httpStatus: result.status })
    }
    case 'POST /control/webhook': {
      // Any payload (template category change, quality update, account update…), signed and posted as is.
      const input = parseInput(z.strictObject({ payload: z.record(z.string(), z.unknown()) }), await body(req))
      return json(200, await deliverWebhook(state, webhookBytes(input.payload)))
    }
    case 'POST /control/reset':
      resetEmulator(state, options)
      return json(200, { ok: true })
    default:
      throw notFound(`control endpoint ${route}`)
  }
}
