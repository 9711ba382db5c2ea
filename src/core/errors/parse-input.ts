// Validates untrusted input against a zod schema and reports every failing path in one 422.
import type { z } from 'zod'
import { AppError } from './app-error'

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new AppError(
    'validation_failed',
    result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  )
}
