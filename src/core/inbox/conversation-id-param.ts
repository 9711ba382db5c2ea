// The conversation id of a route path. One that is not a uuid names no conversation: a 404 like an
// unknown id, instead of a database cast error.
import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'

const uuid = z.uuid()

export function conversationIdParam(value: unknown): string {
  const parsed = uuid.safeParse(value)
  if (!parsed.success) throw notFound('Conversation')
  return parsed.data
}
