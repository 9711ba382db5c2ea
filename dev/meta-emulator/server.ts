// The Meta emulator's HTTP server (node:http): routes Graph paths (`/v23.0/…`), the media download URL,
// the control API and /health, and turns thrown errors into Meta's or our error shape. One process can
// run several emulators (tests start one per file on an ephemeral port).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AppError } from '@/core/errors/app-error'
import { controlApi } from './control-api'
import { cancelPending, createState, statsFor, type EmulatorState, type MetaEmulatorOptions, type RegisteredNumber } from './emulator-state'
import { bearerToken, BodyTooLarge, json, parseJson, readBody, writeReply, type Reply } from './http-io'
import { downloadReply, DOWNLOAD_PATH, MAX_UPLOAD_BYTES, mediaForDownload, mediaInfo, uploadMedia } from './media-store'
import { invalidToken, MetaError, unknownObject, unknownPath } from './meta-errors'
import { addNumber, phoneNumberInfo, wabaPhoneNumbers } from './phone-numbers'
import { checkInjectedFailure, sendMessage } from './send-message'
import { graphParams, listSubscribedApps, subscribeApp, unsubscribeApp } from './subscribed-apps'
import { createTemplate, deleteTemplates, listTemplates } from './templates'
import { assertNumberAccess, assertWabaAccess, grantToken, readsWaba, tokenKnown } from './waba-access'
import { holdIdleConnections } from '../keep-alive'

export type { MetaEmulatorOptions, NumberInput } from './emulator-state'

export interface MetaEmulator {
  url: string
  port: number
  state: EmulatorState
  stop(): Promise<void>
}

const MAX_JSON_BODY = 4 * 1024 * 1024
const GRAPH_PATH = /^\/(v\d+\.\d+)\/([^/]+)(?:\/([^/]+))?\/?$/

export async function startMetaEmulator(options: MetaEmulatorOptions = {}): Promise<MetaEmulator> {
  const state = createState(options)
  for (const n of options.numbers ?? []) addNumber(state, n)
  for (const g of options.tokens ?? []) grantToken(state, g)
  const server = holdIdleConnections(createServer((req, res) => void handle(state, options, req, res)))
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  state.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url: state.baseUrl,
    port,
    state,
    async stop() {
      state.stopped = true
      cancelPending(state)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function handle(state: EmulatorState, options: MetaEmulatorOptions, req: IncomingMessage, res: ServerResponse) {
  let reply: Reply
  try {
    const url = new URL(req.url ?? '/', state.baseUrl)
    reply = await route(state, options, req, url)
  } catch (error) {
    reply = errorReply(state, error)
  }
  try {
    writeReply(res, reply)
  } catch (error) {
    // The client went away mid-answer; nothing to do but keep serving others.
    state.log(`meta-emulator: could not write a reply: ${String(error)}`)
  }
}

function errorReply(state: EmulatorState, error: unknown): Reply {
  if (error instanceof MetaError) return json(error.httpStatus, error.toBody())
  if (error instanceof AppError) return json(error.status, error.toBody())
  if (error instanceof BodyTooLarge) return json(413, new AppError('payload_too_large', error.message).toBody())
  state.log(`meta-emulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return json(500, new AppError('internal', 'the emulator failed unexpectedly').toBody())
}

async function route(state: EmulatorState, options: MetaEmulatorOptions, req: IncomingMessage, url: URL): Promise<Reply> {
  if (req.method === 'GET' && url.pathname === '/health')
    return json(200, { service: 'meta-emulator', status: 'ok', numbers: state.numbers.size, webhookUrl: state.config.webhookUrl ?? null })
  if (url.pathname === '/control' || url.pathname.startsWith('/control/')) return controlApi(state, options, req, url)
  if (url.pathname === DOWNLOAD_PATH && req.method === 'GET') {
    const media = mediaForDownload(state, url)
    if (!readsWaba(state, bearerToken(req, url), media.wabaId)) throw invalidToken()
    return downloadReply(media)
  }
  const match = GRAPH_PATH.exec(url.pathname)
  if (!match) throw unknownPath(url.pathname)
  return graph(state, req, url, match[2]!, match[3])
}

async function graph(state: EmulatorState, req: IncomingMessage, url: URL, id: string, edge: string | undefined): Promise<Reply> {
  const method = req.method ?? 'GET'
  const token = bearerToken(req, url)
  // Graph rejects a token it does not know before it looks at the object.
  if (!tokenKnown(state, token)) throw invalidToken()
  const number = state.numbers.get(id)

  if (edge === 'messages' || edge === 'media') {
    if (!number || method !== 'POST') throw unknownObject(method, id)
    return countRejections(state, number, async () => {
      assertNumberAccess(state, token, number, 'whatsapp_business_messaging')
      if (edge === 'messages') return sendMessage(state, number, parseJson(await readBody(req, MAX_JSON_BODY)))
      checkInjectedFailure(state, number, Date.now())
      return uploadMedia(state, number, req.headers['content-type'] ?? '', await readBody(req, MAX_UPLOAD_BYTES))
    })
  }
  if (edge === 'message_templates' || edge === 'phone_numbers' || edge === 'subscribed_apps') {
    assertWabaAccess(state, token, id, method)
    if (edge === 'phone_numbers' && method === 'GET') return wabaPhoneNumbers(state, id, url, token)
    if (edge === 'subscribed_apps' && method === 'GET') return listSubscribedApps(state, id)
    if (edge === 'subscribed_apps' && method === 'DELETE') return unsubscribeApp(state, id)
    if (edge === 'subscribed_apps' && method === 'POST')
      return subscribeApp(state, id, graphParams(url, await readBody(req, MAX_JSON_BODY), req.headers['content-type'] ?? ''))
    if (edge === 'message_templates' && method === 'GET') return listTemplates(state, id, url, token)
    if (edge === 'message_templates' && method === 'POST') return createTemplate(state, id, parseJson(await readBody(req, MAX_JSON_BODY)))
    if (edge === 'message_templates' && method === 'DELETE') return deleteTemplates(state, id, url)
    throw unknownObject(method, id)
  }
  if (edge !== undefined) throw unknownPath(`/${edge}`)

  if (number && method === 'GET') {
    assertNumberAccess(state, token, number)
    return phoneNumberInfo(number, url)
  }
  const media = state.media.get(id)
  if (media && (method === 'GET' || method === 'DELETE')) {
    if (!readsWaba(state, token, media.wabaId)) throw invalidToken()
    const scope = url.searchParams.get('phone_number_id')
    if (scope && state.numbers.get(scope)?.wabaId !== media.wabaId) throw unknownObject(method, id)
    if (method === 'GET') return mediaInfo(state, media)
    state.media.delete(id)
    return json(200, { success: true })
  }
  throw unknownObject(method, id)
}

async function countRejections(state: EmulatorState, number: RegisteredNumber, run: () => Promise<Reply> | Reply): Promise<Reply> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof MetaError) {
      const rejected = statsFor(state, number.phoneNumberId).rejected
      rejected[error.code] = (rejected[error.code] ?? 0) + 1
    }
    throw error
  }
}
