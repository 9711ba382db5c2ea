// Ids from a contacts route path. One that is not a uuid names nothing: a 404 like an unknown id,
// instead of a database cast error.
import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'

const uuid = z.uuid()

export function idParam(value: unknown, what: 'Contact' | 'Note' | 'Import' | 'Campaign'): string {
  const parsed = uuid.safeParse(value)
  if (!parsed.success) throw notFound(what)
  return parsed.data
}
