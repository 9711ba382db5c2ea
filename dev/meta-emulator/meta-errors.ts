// Meta's error bodies, byte-for-byte in shape: Graph errors answered synchronously and the error objects
// carried by `failed` status webhooks. Titles and details follow Meta's error-code reference.
import { randomBytes } from 'node:crypto'

export interface MetaErrorBody {
  error: {
    message: string
    type: string
    code: number
    error_subcode?: number
    is_transient?: boolean
    error_user_title?: string
    error_user_msg?: string
    error_data?: { messaging_product: 'whatsapp'; details: string }
    fbtrace_id: string
  }
}

export interface WebhookError {
  code: number
  title: string
  message: string
  error_data: { details: string }
  href: string
}

interface CatalogueEntry {
  title: string
  http: number
  details: string
  subcode?: number
}

// The WhatsApp-layer codes the emulator produces (HTTP statuses from the reference's table).
const CATALOGUE: Record<number, CatalogueEntry> = {
  2: { title: 'Service temporarily unavailable', http: 503, details: 'The service is temporarily unavailable. Please retry later.' },
  100: { title: 'Invalid parameter', http: 400, details: 'Invalid parameter.' },
  130429: {
    title: 'Rate limit hit',
    http: 400,
    details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time.',
  },
  131000: { title: 'Something went wrong', http: 500, details: 'Message failed to send due to an unknown error.' },
  131008: { title: 'Required parameter is missing', http: 400, details: 'A required parameter is missing.' },
  131009: { title: 'Parameter value is not valid', http: 400, details: 'One or more parameter values are invalid.' },
  131016: { title: 'Service unavailable', http: 503, details: 'A service is temporarily unavailable.' },
  131021: { title: 'Recipient cannot be sender', http: 400, details: 'Sender and recipient phone number is the same.' },
  131026: { title: 'Message undeliverable', http: 400, details: 'Message Undeliverable.' },
  131047: {
    title: 'Re-engagement message',
    http: 400,
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    http: 400,
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: { title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', http: 400, details: 'The user has stopped marketing messages.' },
  131051: { title: 'Message type unknown', http: 400, details: 'Message type is currently not supported.' },
  131053: { title: 'Media upload error', http: 400, details: 'Unable to upload the media used in the message.' },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    http: 400,
    details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    subcode: 2494055,
  },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    http: 400,
    details: 'The number of variable parameter values does not match the number of variables in the template.',
  },
  132001: { title: 'Template name does not exist in the translation', http: 404, details: 'Template does not exist in this language.' },
  132012: {
    title: 'Parameter format does not match format in the created template',
    http: 400,
    details: 'Variable parameter values formatted incorrectly.',
  },
  132015: { title: 'Template is Paused', http: 400, details: 'Template is paused due to low quality so it cannot be sent.' },
  132016: { title: 'Template is Disabled', http: 400, details: 'Template has been paused too many times due to low quality and is now permanently disabled.' },
}

const ERROR_CODES_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/'

export const fbtraceId = () => randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 23)

export class MetaError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Omit<MetaErrorBody['error'], 'fbtrace_id'>,
  ) {
    super(body.message)
    this.name = 'MetaError'
  }

  get code() {
    return this.body.code
  }

  toBody(): MetaErrorBody {
    return { error: { ...this.body, fbtrace_id: fbtraceId() } }
  }
}

export const titleOf = (code: number) => CATALOGUE[code]?.title ?? 'Unknown error'

// A WhatsApp-layer error as the send/media endpoints answer it: `(#code) title` plus error_data.details.
export function whatsappError(code: number, details?: string): MetaError {
  const entry = CATALOGUE[code] ?? { title: 'Unknown error', http: 400, details: 'Unknown error.' }
  return new MetaError(entry.http, {
    message: `(#${code}) ${entry.title}`,
    type: 'OAuthException',
    code,
    ...(entry.subcode ? { error_subcode: entry.subcode } : {}),
    error_data: { messaging_product: 'whatsapp', details: details ?? entry.details },
  })
}

// The same failure as a `failed` status webhook carries it in statuses[].errors[].
export function webhookError(code: number, details?: string): WebhookError {
  const entry = CATALOGUE[code]
  const title = entry?.title ?? 'Unknown error'
  return { code, title, message: title, error_data: { details: details ?? entry?.details ?? title }, href: ERROR_CODES_HREF }
}

// Graph-layer errors (token, object, path) come without error_data, exactly as Graph answers them.
export const invalidToken = () =>
  new MetaError(401, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 })

export const unknownObject = (method: string, id: string) =>
  new MetaError(400, {
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing ` +
      'permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  })

// A valid token that reaches the object but lacks the permission the call needs (codes 200–299, HTTP 403).
export const permissionDenied = () => new MetaError(403, { message: '(#200) Permissions error', type: 'OAuthException', code: 200 })

export const unknownPath = (path: string) =>
  new MetaError(400, { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500 })

export const nonexistingField = (field: string, nodeType: string) =>
  new MetaError(400, {
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    type: 'OAuthException',
    code: 100,
  })

export const missingParameter = (name: string) =>
  new MetaError(400, { message: `(#100) The parameter ${name} is required`, type: 'OAuthException', code: 100 })

// Management-API (templates) validation errors carry user-facing title/message instead of error_data.
export const managementError = (title: string, userMessage: string, subcode?: number) =>
  new MetaError(400, {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    ...(subcode ? { error_subcode: subcode } : {}),
    is_transient: false,
    error_user_title: title,
    error_user_msg: userMessage,
  })
