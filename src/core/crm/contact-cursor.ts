// Opaque keyset cursors: the last row's sort values, base64url-encoded JSON, validated on the way back.
import { z } from 'zod'
import { AppError } from '@/core/errors/app-error'

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw new AppError('bad_request', 'The cursor is not valid; start again from the first page')
  }
}
