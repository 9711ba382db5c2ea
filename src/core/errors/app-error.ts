// One error type for the whole domain; the HTTP wrapper turns it into
// { "error": { "code", "message", "details"? } } with its status.
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'service_window_closed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  service_window_closed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
}

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
    this.status = STATUS[code]
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } }
  }
}

export const unauthenticated = (message = 'Sign in to continue') => new AppError('unauthenticated', message)
export const forbidden = (message = 'Your role does not allow this') => new AppError('forbidden', message)
export const notFound = (what: string) => new AppError('not_found', `${what} not found`)
export const conflict = (message: string) => new AppError('conflict', message)
