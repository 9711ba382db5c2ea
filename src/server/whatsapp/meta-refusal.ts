// Calls an admin or agent makes through Meta (templates, uploads): Meta's refusal becomes a 422 in
// words they can act on, prefixed with what was refused, rather than a 500.
import { AppError } from '@/core/errors/app-error'
import { GraphApiError } from '@/core/whatsapp/graph-errors'

export async function callMeta<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof GraphApiError)
      throw new AppError('validation_failed', `${what}: ${error.info.agentMessage}`, { code: error.info.code, kind: error.info.kind })
    throw error
  }
}
