// The Meta Graph API client for the WhatsApp Cloud API: one method per call we make, each with the number's own token.
// Every failure (HTTP error, timeout, network, unreadable answer) is thrown as a classified GraphApiError without the token.
import { z } from 'zod'
import { templateDefinitionSchema } from './check-template-parameters'
import { classifyGraphError, GraphApiError, type GraphErrorInfo } from './graph-errors'
import type { OutboundMessage } from './outbound-message'

/** What one JSON call to Graph needs of the HTTP exchange: the status, the Retry-After header and the body. */
export type GraphExchange = (
  url: URL,
  init: { method: 'GET' | 'POST' | 'DELETE'; headers: Record<string, string>; body?: string | FormData; signal: AbortSignal },
) => Promise<{ status: number; retryAfter: string | null; text: string }>

/** The exchange over a WHATWG fetch (the default, and what tests inject to watch or fake Graph). */
export const fetchExchange =
  (fetch: typeof globalThis.fetch): GraphExchange =>
  async (url, init) => {
    const response = await fetch(url, init)
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() }
  }

export type GraphClientOptions = {
  baseUrl: string
  version: string
  /** Media downloads, and the JSON calls unless `exchange` is given. */
  fetch?: typeof globalThis.fetch
  /** The JSON calls' HTTP exchange; by default over `fetch`. */
  exchange?: GraphExchange
  timeoutMs?: number
}

export type SentMessage = { wamid: string; waId: string | null; messageStatus: string | null }
export type MediaInfo = { url: string; mimeType: string | null; sha256: string | null; fileSize: number | null }
export type PhoneNumberInfo = {
  id: string
  displayPhoneNumber: string | null
  verifiedName: string | null
  qualityRating: string | null
  messagingLimitTier: string | null
  throughput: { level: string } | null
  codeVerificationStatus: string | null
  nameStatus: string | null
  platformType: string | null
}
export type CreateTemplateBody = {
  name: string
  language: string
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'
  parameter_format?: 'POSITIONAL' | 'NAMED'
  allow_category_change?: boolean
  components: readonly Record<string, unknown>[]
}

const messageTemplateSchema = templateDefinitionSchema.extend({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
})
export type MessageTemplate = z.infer<typeof messageTemplateSchema>

const sendResponse = z.looseObject({
  contacts: z.array(z.looseObject({ wa_id: z.string().optional() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
})
const mediaResponse = z.looseObject({
  url: z.url(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  // Documented as a number; some answers carry it as a string.
  file_size: z.coerce.number().optional(),
})
const templatePage = z.looseObject({
  data: z.array(messageTemplateSchema),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
})
const phoneNumberResponse = z.looseObject({
  id: z.string(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
  messaging_limit_tier: z.string().optional(),
  throughput: z.looseObject({ level: z.string() }).optional(),
  code_verification_status: z.string().optional(),
  name_status: z.string().optional(),
  platform_type: z.string().optional(),
})
const phoneNumberPage = z.looseObject({
  data: z.array(phoneNumberResponse),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
})
const successResponse = z.looseObject({ success: z.literal(true) })
const idResponse = z.looseObject({ id: z.string().min(1) })
const createdTemplate = z.looseObject({ id: z.string().min(1), status: z.string().optional(), category: z.string().optional() })

const TEMPLATE_FIELDS = 'id,name,language,status,category,parameter_format,components,quality_score'
const PHONE_NUMBER_FIELDS = [
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'messaging_limit_tier',
  'throughput',
  'code_verification_status',
  'name_status',
  'platform_type',
].join(',')
// Media URLs point at Meta's CDN, not the Graph host; the token goes there and to the Graph origin only, never elsewhere.
const MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.facebook.com', '.fbcdn.net', '.whatsapp.net']
// Visible ASCII only: anything else would break the header, and fetch would echo the value in its error.
const TOKEN_SHAPE = /^[\x21-\x7e]+$/

// A failure we detect ourselves rather than one Meta reports, so it carries no Meta code.
const failure = (
  info: Pick<GraphErrorInfo, 'kind' | 'scope' | 'title' | 'agentMessage'> & Partial<GraphErrorInfo>,
  httpStatus?: number,
) => new GraphApiError({ code: null, subcode: null, details: null, retryAfterMs: null, fbtraceId: null, ...info }, httpStatus)

// Meta's error text should never contain the token, but a proxy or a future message might echo it: scrub it anyway.
function scrubbed(info: GraphErrorInfo, token: string): GraphErrorInfo {
  const scrub = (text: string) => (token ? text.split(token).join('[token]') : text)
  return {
    ...info,
    title: scrub(info.title),
    details: info.details === null ? null : scrub(info.details),
    agentMessage: scrub(info.agentMessage),
  }
}

function retryAfterMsOf(header: string | null): number | null {
  const seconds = Number(header)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null
}

const cursorIn = (link: string) => {
  try {
    return new URL(link).searchParams.get('after') ?? undefined
  } catch {
    return undefined
  }
}

const toPhoneNumberInfo = (n: z.infer<typeof phoneNumberResponse>): PhoneNumberInfo => ({
  id: n.id,
  displayPhoneNumber: n.display_phone_number ?? null,
  verifiedName: n.verified_name ?? null,
  qualityRating: n.quality_rating ?? null,
  messagingLimitTier: n.messaging_limit_tier ?? null,
  throughput: n.throughput ? { level: n.throughput.level } : null,
  codeVerificationStatus: n.code_verification_status ?? null,
  nameStatus: n.name_status ?? null,
  platformType: n.platform_type ?? null,
})

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function createGraphClient({ baseUrl, version, fetch = globalThis.fetch, exchange = fetchExchange(fetch), timeoutMs = 15_000 }: GraphClientOptions) {
  const root = `${baseUrl.replace(/\/+$/, '')}/${version.replace(/^\/+|\/+$/g, '')}`
  const graphOrigin = new URL(root).origin

  const urlFor = (segments: string[], query: Record<string, string | number | undefined> = {}) => {
    const url = new URL(`${root}/${segments.map(encodeURIComponent).join('/')}`)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value))
    return url
  }

  const checkToken = (token: string) => {
    if (!TOKEN_SHAPE.test(token)) {
      throw failure({
        kind: 'auth',
        scope: 'number',
        title: 'Malformed access token',
        agentMessage: 'The stored access token is not valid; an admin needs to reconnect this WhatsApp number in Settings.',
      })
    }
  }

  const thrown = (token: string, input: Parameters<typeof classifyGraphError>[0], retryAfterMs: number | null = null) => {
    const info = classifyGraphError(input)
    const withRetry =
      retryAfterMs !== null && (info.kind === 'throttled' || info.kind === 'transient') ? { ...info, retryAfterMs } : info
    return new GraphApiError(scrubbed(withRetry, token), input.httpStatus)
  }

  const unreadable = (what: string, httpStatus: number) =>
    failure(
      {
        kind: 'permanent',
        scope: 'message',
        title: `Unexpected ${what} response from Meta`,
        // Not retried on purpose: the call may have succeeded, and a send would then go out twice.
        agentMessage: 'Meta answered in a way we could not read; check the result in WhatsApp Manager before trying again.',
      },
      httpStatus,
    )

  // One request: bearer auth, the timeout over the whole exchange, non-2xx and transport failures classified.
  async function call<S extends z.ZodType>(
    what: string,
    token: string,
    url: URL,
    schema: S,
    init: { method?: 'GET' | 'POST' | 'DELETE'; json?: unknown; form?: FormData } = {},
  ): Promise<z.infer<S>> {
    checkToken(token)
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    let status: number
    let body: unknown
    let retryAfterMs: number | null
    try {
      const response = await exchange(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
        signal: AbortSignal.timeout(timeoutMs),
      })
      status = response.status
      retryAfterMs = retryAfterMsOf(response.retryAfter)
      body = parseJson(response.text)
    } catch (cause) {
      throw thrown(token, { cause })
    }
    if (status < 200 || status > 299) throw thrown(token, { httpStatus: status, body }, retryAfterMs)
    const parsed = schema.safeParse(body)
    if (!parsed.success) throw unreadable(what, status)
    return parsed.data
  }

  return {
    async sendMessage(phoneNumberId: string, token: string, body: OutboundMessage): Promise<SentMessage> {
      const url = urlFor([phoneNumberId, 'messages'])
      const sent = await call('send', token, url, sendResponse, { method: 'POST', json: body })
      const message = sent.messages[0]!
      return { wamid: message.id, waId: sent.contacts?.[0]?.wa_id ?? null, messageStatus: message.message_status ?? null }
    },

    async markAsRead(
      phoneNumberId: string,
      token: string,
      messageId: string,
      options: { typingIndicator?: boolean } = {},
    ): Promise<void> {
      const body = {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        ...(options.typingIndicator ? { typing_indicator: { type: 'text' } } : {}),
      }
      await call('mark-as-read', token, urlFor([phoneNumberId, 'messages']), z.unknown(), { method: 'POST', json: body })
    },

    async uploadMedia(
      phoneNumberId: string,
      token: string,
      file: { bytes: Uint8Array; mimeType: string; filename: string },
    ): Promise<{ id: string }> {
      const form = new FormData()
      form.set('messaging_product', 'whatsapp')
      form.set('type', file.mimeType)
      // Copied into a plain ArrayBuffer: a Uint8Array may be a view on a larger (or shared) buffer.
      form.set('file', new Blob([file.bytes.slice()], { type: file.mimeType }), file.filename)
      const uploaded = await call('upload', token, urlFor([phoneNumberId, 'media']), idResponse, { method: 'POST', form })
      return { id: uploaded.id }
    },

    // The URL is short-lived (minutes) and needs the same token; look the id up again rather than storing it.
    async getMediaUrl(mediaId: string, token: string, options: { phoneNumberId?: string } = {}): Promise<MediaInfo> {
      const url = urlFor([mediaId], { phone_number_id: options.phoneNumberId })
      const media = await call('media', token, url, mediaResponse)
      return {
        url: media.url,
        mimeType: media.mime_type ?? null,
        sha256: media.sha256 ?? null,
        fileSize: media.file_size ?? null,
      }
    },

    async downloadMedia(url: string, token: string, options: { maxBytes: number; timeoutMs?: number }): Promise<Uint8Array> {
      checkToken(token)
      let target: URL
      try {
        target = new URL(url)
      } catch {
        target = new URL('invalid:')
      }
      const trusted =
        target.origin === graphOrigin ||
        (target.protocol === 'https:' && MEDIA_HOST_SUFFIXES.some((suffix) => `.${target.hostname}`.endsWith(suffix)))
      if (!trusted) {
        throw failure({
          kind: 'permanent',
          scope: 'message',
          title: 'Media URL is not on a Meta host',
          details: target.protocol === 'invalid:' ? 'not a URL' : target.host,
          agentMessage: 'The file link did not come from WhatsApp, so it was not downloaded.',
        })
      }
      const tooLarge = (size: string) =>
        failure({
          kind: 'permanent',
          scope: 'message',
          title: 'Media file too large',
          details: `${size} bytes, limit ${options.maxBytes}`,
          agentMessage: 'The file is larger than Conversa accepts for this type, so it was not downloaded.',
        })

      const abort = new AbortController()
      const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs ?? timeoutMs)])
      let response: Response
      try {
        response = await fetch(target, { headers: { authorization: `Bearer ${token}` }, signal })
      } catch (cause) {
        throw thrown(token, { cause })
      }
      if (!response.ok) {
        const body = parseJson(await response.text().catch(() => ''))
        throw thrown(token, { httpStatus: response.status, body }, retryAfterMsOf(response.headers.get('retry-after')))
      }
      const declared = Number(response.headers.get('content-length'))
      if (declared > options.maxBytes) {
        abort.abort()
        throw tooLarge(String(declared))
      }
      const chunks: Uint8Array[] = []
      let total = 0
      try {
        if (response.body) {
          const reader = response.body.getReader()
          for (let read = await reader.read(); !read.done; read = await reader.read()) {
            total += read.value.byteLength
            // Stop reading as soon as the limit is passed; a lying or missing content-length cannot fill memory.
            if (total > options.maxBytes) {
              abort.abort()
              throw tooLarge(`more than ${options.maxBytes}`)
            }
            chunks.push(read.value)
          }
        }
      } catch (cause) {
        if (cause instanceof GraphApiError) throw cause
        throw thrown(token, { cause })
      }
      const bytes = new Uint8Array(total)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.byteLength
      }
      return bytes
    },

    // Follows the cursor until Meta stops giving a `next` page. The request is rebuilt from the cursor rather than by
    // fetching `paging.next` as is, because Graph puts the access token in that link's query string.
    async listTemplates(wabaId: string, token: string, options: { limit?: number } = {}): Promise<MessageTemplate[]> {
      const templates: MessageTemplate[] = []
      const seen = new Set<string>()
      let after: string | undefined
      for (;;) {
        const url = urlFor([wabaId, 'message_templates'], { fields: TEMPLATE_FIELDS, limit: options.limit ?? 100, after })
        const page = await call('template list', token, url, templatePage)
        templates.push(...page.data)
        const next = page.paging?.next
        const cursor = page.paging?.cursors?.after ?? (next ? cursorIn(next) : undefined)
        if (!next || !cursor || seen.has(cursor)) return templates
        seen.add(cursor)
        after = cursor
      }
    },

    async createTemplate(
      wabaId: string,
      token: string,
      body: CreateTemplateBody,
    ): Promise<{ id: string; status: string | null; category: string | null }> {
      const url = urlFor([wabaId, 'message_templates'])
      const created = await call('template create', token, url, createdTemplate, { method: 'POST', json: body })
      return { id: created.id, status: created.status ?? null, category: created.category ?? null }
    },

    // Without hsmId Meta deletes the template in every language; with it, only that one.
    async deleteTemplate(wabaId: string, token: string, template: { name: string; hsmId?: string }): Promise<void> {
      const url = urlFor([wabaId, 'message_templates'], { name: template.name, hsm_id: template.hsmId })
      await call('template delete', token, url, z.unknown(), { method: 'DELETE' })
    },

    async getPhoneNumber(phoneNumberId: string, token: string): Promise<PhoneNumberInfo> {
      const url = urlFor([phoneNumberId], { fields: PHONE_NUMBER_FIELDS })
      return toPhoneNumberInfo(await call('phone number', token, url, phoneNumberResponse))
    },

    // Every number of the WABA, following the cursor as listTemplates does. Answers only if the token can read the WABA.
    async listWabaPhoneNumbers(wabaId: string, token: string, options: { limit?: number } = {}): Promise<PhoneNumberInfo[]> {
      const numbers: PhoneNumberInfo[] = []
      const seen = new Set<string>()
      let after: string | undefined
      for (;;) {
        const url = urlFor([wabaId, 'phone_numbers'], { fields: `id,${PHONE_NUMBER_FIELDS}`, limit: options.limit ?? 100, after })
        const page = await call('phone number list', token, url, phoneNumberPage)
        numbers.push(...page.data.map(toPhoneNumberInfo))
        const next = page.paging?.next
        const cursor = page.paging?.cursors?.after ?? (next ? cursorIn(next) : undefined)
        if (!next || !cursor || seen.has(cursor)) return numbers
        seen.add(cursor)
        after = cursor
      }
    },

    // Subscribes our Meta app to the WABA's webhooks (templates, quality, account updates); Meta treats a repeat as a no-op.
    async subscribeApp(wabaId: string, token: string): Promise<void> {
      await call('app subscription', token, urlFor([wabaId, 'subscribed_apps']), successResponse, { method: 'POST' })
    },
  }
}

export type GraphClient = ReturnType<typeof createGraphClient>
