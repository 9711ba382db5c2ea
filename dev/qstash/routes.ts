// The QStash v2 REST surface the `@upstash/qstash` client calls: publish, schedules, DLQ, messages.
import type { IncomingMessage } from 'node:http'
import { errorReply, readBody, reply, type Reply } from '../upstash-bridge/http-io'
import { dlqJson, messageJson, type MessageStore } from './message-store'
import { parsePublish, RequestError } from './publish-request'
import { scheduleJson, setPaused, type ScheduleStore } from './schedules'

export interface RouteContext {
  store: MessageStore
  schedules: ScheduleStore
  now: () => number
}

const MAX_BODY_BYTES = 10 * 1024 * 1024

// The destination is appended to the path unescaped (`/v2/publish/https://x.com/a?b=c`), so it is
// cut from the raw request target rather than the parsed path.
const rawTail = (target: string, prefix: string) => target.slice(prefix.length)

export async function route(req: IncomingMessage, context: RouteContext): Promise<Reply> {
  const target = req.url ?? '/'
  const { pathname, searchParams } = new URL(target, 'http://qstash')
  const method = req.method ?? 'GET'
  try {
    if (method === 'POST' && target.startsWith('/v2/publish/')) return await publish(req, rawTail(target, '/v2/publish/'), context)
    if (method === 'POST' && target.startsWith('/v2/schedules/')) return await createSchedule(req, rawTail(target, '/v2/schedules/'), context)
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent)
    if (parts[0] !== 'v2') return errorReply(404, 'not found')
    const [, resource, id, action] = parts
    if (resource === 'schedules') return scheduleRoute(method, id, action, context)
    if (resource === 'dlq') return dlqRoute(method, id, searchParams, context)
    if (resource === 'messages') return messageRoute(method, id, searchParams, context)
    return errorReply(404, `${pathname} is not supported by this QStash stand-in`)
  } catch (error) {
    if (error instanceof RequestError) return errorReply(error.status, error.message)
    if (error instanceof URIError) return errorReply(400, `malformed path: ${pathname}`)
    throw error
  }
}

async function readPublish(req: IncomingMessage, destination: string) {
  const body = await readBody(req, MAX_BODY_BYTES)
  if (!body) throw new RequestError(413, 'message body too large')
  return parsePublish({ url: destination, headers: req.headers, body, callerIp: req.socket.remoteAddress ?? '' })
}

async function publish(req: IncomingMessage, destination: string, { store, now }: RouteContext): Promise<Reply> {
  const request = await readPublish(req, destination)
  const at = now()
  const key = request.deduplicationKey
  const existing = key === undefined ? undefined : store.deduplicated(key, at)
  if (existing) return reply(202, { messageId: existing, url: request.spec.url, deduplicated: true })
  const notBefore = request.notBefore ?? (request.delayMs ? at + request.delayMs : undefined)
  const message = store.add(request.spec, { now: at, notBefore })
  if (key !== undefined) store.remember(key, message.messageId, at)
  return reply(201, { messageId: message.messageId, url: message.url })
}

async function createSchedule(req: IncomingMessage, destination: string, { schedules, now }: RouteContext): Promise<Reply> {
  const request = await readPublish(req, destination)
  const cron = req.headers['upstash-cron']
  if (typeof cron !== 'string' || !cron.trim()) throw new RequestError(400, 'Upstash-Cron header is required')
  const requestedId = req.headers['upstash-schedule-id']
  const scheduleId = schedules.upsert({ cron, scheduleId: typeof requestedId === 'string' ? requestedId : undefined, request, now: now() })
  return reply(201, { scheduleId })
}

function scheduleRoute(method: string, id: string | undefined, action: string | undefined, { schedules, now }: RouteContext): Reply {
  if (id === undefined) return method === 'GET' ? reply(200, schedules.list().map(scheduleJson)) : errorReply(405, 'method not allowed')
  const schedule = schedules.get(id)
  if (!schedule) return errorReply(404, `schedule ${id} not found`)
  if (method === 'GET' && action === undefined) return reply(200, scheduleJson(schedule))
  if (method === 'DELETE' && action === undefined) {
    schedules.delete(id)
    return reply(200, undefined)
  }
  if (method === 'PATCH' && (action === 'pause' || action === 'resume')) {
    setPaused(schedule, action === 'pause', now())
    return reply(200, undefined)
  }
  return errorReply(405, 'method not allowed')
}

function pageOf<T>(items: T[], params: URLSearchParams) {
  const start = Number(params.get('cursor') ?? 0) || 0
  const count = Number(params.get('count') ?? 100) || 100
  const page = items.slice(start, start + count)
  return { page, cursor: start + count < items.length ? String(start + count) : undefined }
}

// The query filters this stand-in understands; anything else is refused rather than ignored, so a
// bulk action never silently widens to every entry.
const DLQ_FILTERS = ['url', 'messageId', 'scheduleId', 'responseStatus'] as const

function selectDlq(params: URLSearchParams, { store }: RouteContext) {
  const unknown = [...params.keys()].filter((k) => !['dlqIds', 'cursor', 'count', ...DLQ_FILTERS].includes(k))
  if (unknown.length) throw new RequestError(400, `unsupported DLQ filter: ${unknown.join(', ')}`)
  const ids = params.getAll('dlqIds')
  return [...store.dlq.values()].filter((entry) => {
    if (ids.length) return ids.includes(entry.dlqId)
    const fields: Record<(typeof DLQ_FILTERS)[number], string | undefined> = {
      url: entry.message.url,
      messageId: entry.message.messageId,
      scheduleId: entry.message.scheduleId,
      responseStatus: entry.responseStatus === undefined ? undefined : String(entry.responseStatus),
    }
    return DLQ_FILTERS.every((name) => {
      const wanted = params.getAll(name)
      return wanted.length === 0 || wanted.includes(fields[name] ?? '')
    })
  })
}

function dlqRoute(method: string, id: string | undefined, params: URLSearchParams, context: RouteContext): Reply {
  const { store, now } = context
  if (method === 'GET' && id === undefined) {
    const { page, cursor } = pageOf(selectDlq(params, context), params)
    return reply(200, { messages: page.map(dlqJson), ...(cursor ? { cursor } : {}) })
  }
  if (method === 'DELETE' && id !== undefined) {
    return store.dlq.delete(id) ? reply(200, undefined) : errorReply(404, `dlq message ${id} not found`)
  }
  if (method === 'DELETE' && id === undefined) {
    const { page, cursor } = pageOf(selectDlq(params, context), params)
    for (const entry of page) store.dlq.delete(entry.dlqId)
    return reply(200, { deleted: page.length, ...(cursor ? { cursor } : {}) })
  }
  if (method === 'POST' && id === 'retry') {
    const { page, cursor } = pageOf(selectDlq(params, context), params)
    const responses = page.map((entry) => {
      store.dlq.delete(entry.dlqId)
      return { messageId: store.add(entry.message, { now: now() }).messageId }
    })
    return reply(200, { responses, ...(cursor ? { cursor } : {}) })
  }
  return errorReply(405, 'method not allowed')
}

function messageRoute(method: string, id: string | undefined, params: URLSearchParams, { store }: RouteContext): Reply {
  if (id !== undefined) {
    const message = store.pending.get(id)
    if (method === 'GET') return message ? reply(200, messageJson(message)) : errorReply(404, `message ${id} not found`)
    if (method === 'DELETE') return store.cancel(id) ? reply(200, { cancelled: 1 }) : errorReply(404, `message ${id} not found`)
    return errorReply(405, 'method not allowed')
  }
  if (method !== 'DELETE') return errorReply(405, 'method not allowed')
  const unknown = [...params.keys()].filter((k) => !['messageIds', 'url', 'count', 'cursor'].includes(k))
  if (unknown.length) throw new RequestError(400, `unsupported message filter: ${unknown.join(', ')}`)
  const ids = params.getAll('messageIds')
  const urls = params.getAll('url')
  const chosen = [...store.pending.values()].filter((m) => (ids.length ? ids.includes(m.messageId) : urls.length === 0 || urls.includes(m.url)))
  for (const message of chosen) store.cancel(message.messageId)
  return reply(200, { cancelled: chosen.length })
}
