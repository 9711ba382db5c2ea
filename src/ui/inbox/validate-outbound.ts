// Checks a message the agent built against the same schema the server applies (Meta's limits), so the
// builders can name the broken field before anything is sent.
import { outboundMessageSchema } from '@/core/whatsapp/outbound-message'

/** Problems as "field: message" lines, or [] when Meta would accept the message. */
export function outboundProblems(body: Record<string, unknown>, waId: string): string[] {
  const result = outboundMessageSchema.safeParse({ ...body, to: waId })
  if (result.success) return []
  return result.error.issues.map((issue) => {
    const path = issue.path.filter((p) => p !== body.type).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
}
