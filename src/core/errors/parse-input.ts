// Validates untrusted input against a zod schema and reports every failing path in one error: a 422
// by default, or a 400 where an API promises that for malformed commands.
import type { z } from 'zod'
import { AppError } from './app-error'
import { issueSentence } from './issue-sentence'

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: 'validation_failed' | 'bad_request' = 'validation_failed'): z.infer<S> {
  const result = schema.safeParse(input, { error: issueSentence })
  if (result.success) return result.data
  throw new AppError(
    code,
    result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  )
}
