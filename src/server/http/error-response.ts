// Maps any thrown value to the one JSON error shape; internals of unknown errors never leave the server.
import { AppError } from '@/core/errors/app-error'
import { log } from '@/server/log'

interface PgError {
  code?: string
  message?: string
}

// Raised on purpose by our own triggers (SQLSTATE P0001 with a known message).
const RAISED: Record<string, () => AppError> = {
  last_owner: () => new AppError('conflict', 'A workspace must keep at least one owner'),
}

// Postgres SQLSTATEs that are the caller's fault, not ours.
function fromPostgres(err: PgError): AppError | undefined {
  switch (err.code) {
    case 'P0001':
      return RAISED[err.message ?? '']?.()
    case '23505':
      return new AppError('conflict', 'That already exists')
    case '42501': // insufficient_privilege, including "new row violates row-level security policy"
      return new AppError('forbidden', 'Your role does not allow this')
    case '23503':
      return new AppError('validation_failed', 'It refers to something that does not exist')
    case '23514':
    case '22P02':
    case '22001':
      return new AppError('validation_failed', 'A value is not allowed')
    default:
      return undefined
  }
}

// A 429 that knows the wait says it in the standard header too (whole seconds).
function retryAfter(error: AppError): Record<string, string> {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  return error.code === 'rate_limited' && typeof seconds === 'number' ? { 'retry-after': String(seconds) } : {}
}

export function errorResponse(error: unknown, requestId: string): Response {
  const appError = error instanceof AppError ? error : fromPostgres(error as PgError)
  if (appError) {
    if (appError.status >= 500) log.error({ requestId, err: error }, appError.message)
    return Response.json(appError.toBody(), { status: appError.status, headers: { 'x-request-id': requestId, ...retryAfter(appError) } })
  }
  log.error({ requestId, err: error }, 'unhandled error')
  const body = new AppError('internal', `Something went wrong (request ${requestId})`).toBody()
  return Response.json(body, { status: 500, headers: { 'x-request-id': requestId } })
}
