// The Graph API error taxonomy: turns Meta's error body (or a timeout/network failure) into one classification that
// senders switch on, plus the table of Meta codes with the words an agent sees. Branches on codes, never on titles.

export type GraphErrorKind = 'throttled' | 'transient' | 'permanent' | 'policy' | 'auth'
// What the failure blocks: this phone number's queue, this customer, only this message, or the whole business account.
export type GraphErrorScope = 'number' | 'recipient' | 'message' | 'account'

export type GraphErrorInfo = {
  kind: GraphErrorKind
  code: number | null
  subcode: number | null
  title: string
  details: string | null
  scope: GraphErrorScope
  // A floor for the next attempt when Meta's limit tells us one; senders add their own backoff and jitter.
  retryAfterMs: number | null
  agentMessage: string
  // Meta support asks for this id when a failure needs investigating.
  fbtraceId: string | null
}

export type GraphErrorCode = {
  kind: GraphErrorKind
  scope: GraphErrorScope
  title: string
  agentMessage: string
  retryAfterMs?: number
  // Meta's error_data.details is specific and readable for these, so the agent sees it too.
  showDetails?: boolean
}

const RECONNECT = 'an admin needs to reconnect this WhatsApp number in Settings.'
const permissionError = (code: number): [number, GraphErrorCode] => [
  code,
  {
    kind: 'auth',
    scope: 'number',
    title: 'API permission error',
    agentMessage: `The access token lacks a permission Meta requires; ${RECONNECT}`,
  },
]
const templateError = (code: number): [number, GraphErrorCode] => [
  code,
  {
    kind: 'permanent',
    scope: 'message',
    title: 'Template error',
    agentMessage: 'WhatsApp rejected this template message; check the template and its variables.',
    showDetails: true,
  },
]
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

// One source of truth for Meta's codes (reference §2): the sender, the status webhook and the UI all read this table.
export const GRAPH_ERROR_CODES: Readonly<Record<number, GraphErrorCode>> = {
  ...Object.fromEntries(range(200, 299).map(permissionError)),
  ...Object.fromEntries(range(132000, 132012).map(templateError)),

  130429: {
    kind: 'throttled',
    scope: 'number',
    title: 'Throughput limit reached',
    agentMessage: 'This number is sending faster than Meta allows; the message will be retried in a moment.',
    retryAfterMs: 1_000,
  },
  131056: {
    kind: 'throttled',
    scope: 'recipient',
    title: 'Pair rate limit hit',
    agentMessage: 'Too many messages went to this customer in a short time; this one will be retried in a few seconds.',
    // Meta allows about one message every 6 seconds to the same customer.
    retryAfterMs: 6_000,
  },
  80007: {
    kind: 'throttled',
    scope: 'account',
    title: 'WhatsApp Business Account rate limit',
    agentMessage: 'Too many requests were made to Meta for this WhatsApp account; it will be retried later.',
    retryAfterMs: 60_000,
  },
  4: {
    kind: 'throttled',
    scope: 'account',
    title: 'Application request limit reached',
    agentMessage: "Conversa reached Meta's request limit; it will be retried later.",
    retryAfterMs: 60_000,
  },
  133016: {
    kind: 'throttled',
    scope: 'number',
    title: 'Registration rate limit',
    agentMessage: 'Too many registration attempts were made for this number; try again later.',
    retryAfterMs: 60_000,
  },

  131000: {
    kind: 'transient',
    scope: 'message',
    title: 'Something went wrong',
    agentMessage: 'Meta had an unexpected problem sending this message; it will be retried.',
  },
  131016: {
    kind: 'transient',
    scope: 'number',
    title: 'Service unavailable',
    agentMessage: 'WhatsApp is temporarily unavailable; the message will be retried.',
  },
  2: {
    kind: 'transient',
    scope: 'number',
    title: 'Service temporarily unavailable',
    agentMessage: 'WhatsApp is temporarily unavailable; the message will be retried.',
  },
  1: {
    kind: 'transient',
    scope: 'message',
    title: 'Unknown API error',
    agentMessage: 'Meta returned an unknown error; the message will be retried.',
  },
  131057: {
    kind: 'transient',
    scope: 'number',
    title: 'Account in maintenance mode',
    agentMessage:
      'This WhatsApp number is briefly in maintenance (for example a throughput upgrade); retrying in about a minute.',
    retryAfterMs: 60_000,
  },

  131047: {
    kind: 'permanent',
    scope: 'recipient',
    title: 'Re-engagement message',
    agentMessage: "The customer's 24-hour window is closed; send a template instead.",
  },
  // The On-Premises API's code for the same thing; it still shows up in old payloads.
  470: {
    kind: 'permanent',
    scope: 'recipient',
    title: 'Message outside the 24-hour window',
    agentMessage: "The customer's 24-hour window is closed; send a template instead.",
  },
  131026: {
    kind: 'permanent',
    scope: 'recipient',
    title: 'Message undeliverable',
    agentMessage: 'WhatsApp could not deliver this to the customer: they may not use WhatsApp, have an old app, or have blocked this number.',
  },
  131021: {
    kind: 'permanent',
    scope: 'recipient',
    title: 'Recipient cannot be sender',
    agentMessage: 'A number cannot send messages to itself.',
  },
  131030: {
    kind: 'permanent',
    scope: 'recipient',
    title: 'Recipient phone number not in allowed list',
    agentMessage: "This test number can only message the numbers added to its allowed list in Meta's app dashboard.",
  },
  131051: {
    kind: 'permanent',
    scope: 'message',
    title: 'Unsupported message type',
    agentMessage: 'WhatsApp does not support this type of message.',
  },
  131052: {
    kind: 'permanent',
    scope: 'message',
    title: 'Media download error',
    agentMessage: "The customer's file could not be downloaded from WhatsApp; ask them to send it again.",
  },
  131053: {
    kind: 'permanent',
    scope: 'message',
    title: 'Media upload error',
    agentMessage: 'WhatsApp could not use the attached file; check its type and size, then try again.',
    showDetails: true,
  },
  132000: {
    kind: 'permanent',
    scope: 'message',
    title: 'Number of parameters does not match the template',
    agentMessage: "The number of variables does not match the template's.",
    showDetails: true,
  },
  132001: {
    kind: 'permanent',
    scope: 'message',
    title: 'Template does not exist',
    agentMessage: 'This template does not exist in that language, or is not approved yet.',
  },
  132005: {
    kind: 'permanent',
    scope: 'message',
    title: 'Template hydrated text too long',
    agentMessage: 'The template text is too long once its variables are filled in; shorten the variables.',
  },
  132007: {
    kind: 'permanent',
    scope: 'message',
    title: 'Template format character policy violated',
    agentMessage: 'A variable contains characters or formatting WhatsApp does not allow in templates.',
    showDetails: true,
  },
  132012: {
    kind: 'permanent',
    scope: 'message',
    title: 'Template parameter format mismatch',
    agentMessage: 'A template variable has the wrong kind (for example text where the template expects an image).',
    showDetails: true,
  },
  132068: {
    kind: 'permanent',
    scope: 'message',
    title: 'Flow is blocked',
    agentMessage: 'The flow in this message is blocked; fix the flow before sending it again.',
  },
  132069: {
    kind: 'permanent',
    scope: 'message',
    title: 'Flow is throttled',
    agentMessage: 'Meta is throttling the flow in this message; try again later.',
  },
  100: {
    kind: 'permanent',
    scope: 'message',
    title: 'Invalid parameter',
    agentMessage: 'Meta rejected part of this message.',
    showDetails: true,
  },
  131008: {
    kind: 'permanent',
    scope: 'message',
    title: 'Required parameter is missing',
    agentMessage: 'The message is missing something Meta requires.',
    showDetails: true,
  },
  131009: {
    kind: 'permanent',
    scope: 'message',
    title: 'Parameter value is not valid',
    agentMessage: 'A value in this message is not valid.',
    showDetails: true,
  },
  135000: {
    kind: 'permanent',
    scope: 'message',
    title: 'Generic user error',
    agentMessage: 'Meta could not send this message because of a problem with its content.',
    showDetails: true,
  },
  33: {
    kind: 'permanent',
    scope: 'number',
    title: 'Phone number not found',
    agentMessage: `Meta does not know this WhatsApp number, or this token cannot reach it; ${RECONNECT}`,
  },
  133010: {
    kind: 'permanent',
    scope: 'number',
    title: 'Phone number not registered',
    agentMessage: 'This number is not registered with the WhatsApp Cloud API; an admin needs to register it in Settings.',
  },
  131037: {
    kind: 'permanent',
    scope: 'number',
    title: 'Display name approval needed',
    agentMessage: "This number's display name is not approved yet; messages can be sent once Meta approves it.",
  },
  131045: {
    kind: 'permanent',
    scope: 'number',
    title: 'Incorrect certificate',
    agentMessage: 'This number is not registered correctly; an admin needs to register it again.',
  },
  131042: {
    kind: 'permanent',
    scope: 'account',
    title: 'Business eligibility payment issue',
    agentMessage: 'There is a payment problem on the WhatsApp Business account; an admin needs to fix it in Meta Business Suite.',
  },
  131031: {
    kind: 'permanent',
    scope: 'account',
    title: 'Business account locked',
    agentMessage: 'Meta has locked this WhatsApp Business account; an admin needs to resolve it in Meta Business Suite.',
  },

  131048: {
    kind: 'policy',
    scope: 'number',
    title: 'Spam rate limit hit',
    agentMessage:
      "Meta is limiting this number because many recipients blocked or reported it; check the number's quality rating.",
  },
  131049: {
    kind: 'policy',
    scope: 'recipient',
    title: 'Not delivered to maintain healthy ecosystem engagement',
    agentMessage: "Meta chose not to deliver this marketing message to keep the customer's experience healthy; try another day.",
  },
  131050: {
    kind: 'policy',
    scope: 'recipient',
    title: 'User stopped marketing messages',
    agentMessage: 'The customer has turned off marketing messages from this business.',
  },
  130472: {
    kind: 'policy',
    scope: 'recipient',
    title: "User's number is part of an experiment",
    agentMessage: 'Meta held back this marketing message because the customer is part of a Meta experiment.',
  },
  130497: {
    kind: 'policy',
    scope: 'recipient',
    title: 'Business account restricted from messaging users in this country',
    agentMessage: "This business is not allowed to message customers in this customer's country.",
  },
  132015: {
    kind: 'policy',
    scope: 'message',
    title: 'Template is paused',
    agentMessage: 'Meta paused this template because of low quality; edit it or use another template.',
  },
  132016: {
    kind: 'policy',
    scope: 'message',
    title: 'Template is disabled',
    agentMessage: 'Meta disabled this template after repeated quality problems; use another template.',
  },
  368: {
    kind: 'policy',
    scope: 'account',
    title: 'Temporarily blocked for policy violations',
    agentMessage: 'Meta has temporarily blocked this account for policy violations; sending is paused.',
  },

  190: {
    kind: 'auth',
    scope: 'number',
    title: 'Access token has expired',
    agentMessage: `The connection to WhatsApp has expired; ${RECONNECT}`,
  },
  0: {
    kind: 'auth',
    scope: 'number',
    title: 'Authentication exception',
    agentMessage: `Meta did not accept this number's access token; ${RECONNECT}`,
  },
  10: {
    kind: 'auth',
    scope: 'number',
    title: 'Permission denied',
    agentMessage: `The access token lacks a permission Meta requires; ${RECONNECT}`,
  },
  3: {
    kind: 'auth',
    scope: 'number',
    title: 'Capability missing',
    agentMessage: 'The Meta app is missing a capability this action needs; an admin needs to check the app setup.',
  },
  131005: {
    kind: 'auth',
    scope: 'number',
    title: 'Access denied',
    agentMessage: `Meta denied access for this number; ${RECONNECT}`,
  },
}

// Graph's error_subcode 33 on code 100: the object id (our phone number id) does not exist or the token cannot see it.
const SUBCODE_OBJECT_NOT_FOUND = 33

type MetaError = {
  code: number | null
  subcode: number | null
  title: string | null
  details: string | null
  fbtraceId: string | null
  isTransient: boolean
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const asString = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null)
// Meta documents codes as numbers but some proxies and webhooks send them as strings.
const asCode = (value: unknown) => {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) ? n : null
}

// Reads a Graph error body ({ error: {...} }) or a webhook error object ({ code, title, error_data }), raw or as JSON text.
function readMetaError(body: unknown): MetaError | null {
  let value = body
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return null
    }
  }
  if (!isRecord(value)) return null
  const error = isRecord(value.error) ? value.error : value
  const code = asCode(error.code)
  if (code === null && !isRecord(value.error)) return null
  const errorData = isRecord(error.error_data) ? error.error_data : {}
  // Graph puts "(#131056) " in front of its message; the title is the rest.
  const message = asString(error.message)?.replace(/^\(#[0-9]+\)\s*/, '') ?? null
  return {
    code,
    subcode: asCode(error.error_subcode),
    title: asString(error.error_user_title) ?? asString(error.title) ?? message,
    details: asString(errorData.details) ?? asString(error.error_user_msg),
    fbtraceId: asString(error.fbtrace_id),
    isTransient: error.is_transient === true,
  }
}

function describeCause(cause: unknown): { timedOut: boolean; text: string | null } {
  if (!isRecord(cause)) return { timedOut: false, text: asString(cause) }
  const name = asString(cause.name)
  const timedOut = name === 'TimeoutError' || name === 'AbortError'
  // undici wraps the socket error ("connect ECONNREFUSED …") as the cause of a bare "fetch failed".
  const inner = isRecord(cause.cause) ? (asString(cause.cause.message) ?? asString(cause.cause.code)) : null
  const text = [asString(cause.message), inner].filter(Boolean).join(': ')
  return { timedOut, text: text || name }
}

function build(entry: GraphErrorCode, meta: MetaError | null, extra: Partial<GraphErrorInfo> = {}): GraphErrorInfo {
  const details = meta?.details ?? null
  return {
    kind: entry.kind,
    code: meta?.code ?? null,
    subcode: meta?.subcode ?? null,
    title: meta?.title ?? entry.title,
    details,
    scope: entry.scope,
    retryAfterMs: entry.retryAfterMs ?? null,
    agentMessage: entry.showDetails && details ? `${entry.agentMessage} Meta says: ${details}` : entry.agentMessage,
    fbtraceId: meta?.fbtraceId ?? null,
    ...extra,
  }
}

export function classifyGraphError(input: { httpStatus?: number; body?: unknown; cause?: unknown }): GraphErrorInfo {
  const meta = readMetaError(input.body)
  const status = input.httpStatus

  if (meta?.code === 100 && meta.subcode === SUBCODE_OBJECT_NOT_FOUND) return build(GRAPH_ERROR_CODES[33]!, meta)
  const known = meta?.code != null ? GRAPH_ERROR_CODES[meta.code] : undefined
  if (known) return build(known, meta)

  // Codes missing from the table fall back on the HTTP status: 5xx is Meta's side (retry), 4xx is ours (do not retry),
  // and no status at all (a timeout, a network error, or a webhook error with a code we do not know yet) is retried.
  if (status === undefined && meta) {
    return build(
      {
        kind: 'transient',
        scope: 'message',
        title: 'Unknown Meta error',
        agentMessage: `Meta reported an error we do not know${meta.code === null ? '' : ` (${meta.code})`}; it will be retried.`,
      },
      meta,
    )
  }
  if (status === undefined) {
    const cause = describeCause(input.cause)
    return build(
      {
        kind: 'transient',
        scope: 'number',
        title: cause.timedOut ? 'Timed out waiting for Meta' : 'Could not reach Meta',
        agentMessage: cause.timedOut
          ? 'WhatsApp took too long to answer; the message will be retried.'
          : 'Could not reach WhatsApp; the message will be retried.',
      },
      null,
      { details: cause.text },
    )
  }
  // Graph marks some errors is_transient; for a code we do not know that is the best hint there is.
  if (meta?.isTransient) {
    return build(
      {
        kind: 'transient',
        scope: 'message',
        title: 'Temporary Meta error',
        agentMessage: 'Meta reported a temporary problem; it will be retried.',
      },
      meta,
    )
  }
  // Two 4xx statuses say more than "our fault": 429 asks us to slow down, and 401 means the token was refused.
  if (status === 429) {
    return build(
      {
        kind: 'throttled',
        scope: 'number',
        title: 'Too many requests',
        agentMessage: 'Meta asked us to slow down; retrying shortly.',
      },
      meta,
    )
  }
  if (status === 401) {
    return build(
      {
        kind: 'auth',
        scope: 'number',
        title: 'Unauthorized',
        agentMessage: `Meta did not accept this number's access token; ${RECONNECT}`,
      },
      meta,
    )
  }
  if (status >= 500) {
    return build(
      {
        kind: 'transient',
        scope: 'number',
        title: `Meta server error (HTTP ${status})`,
        agentMessage: 'WhatsApp had a temporary problem; the message will be retried.',
      },
      meta,
    )
  }
  return build(
    {
      kind: 'permanent',
      scope: 'message',
      title: `Request rejected (HTTP ${status})`,
      agentMessage: `Meta rejected this message${meta?.code != null ? ` (error ${meta.code})` : ''}.`,
      showDetails: true,
    },
    meta,
  )
}

export class GraphApiError extends Error {
  readonly info: GraphErrorInfo
  readonly httpStatus?: number
  constructor(info: GraphErrorInfo, httpStatus?: number) {
    super(`Graph API ${info.kind} error${info.code === null ? '' : ` ${info.code}`}: ${info.title}`)
    this.name = 'GraphApiError'
    this.info = info
    this.httpStatus = httpStatus
  }
}
