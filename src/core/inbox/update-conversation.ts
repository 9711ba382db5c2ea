// Status, assignment and tags of a conversation, with who may assign whom: agents take or drop
// conversations themselves, supervisors and above assign anyone in the workspace. Audited.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { AppError, forbidden, notFound } from '@/core/errors/app-error'
import { atLeast, type Role } from '@/core/tenancy/roles'
import { getConversation, type ConversationDetail } from './get-conversation'
import { CONVERSATION_STATUSES } from './list-conversations'

export const MAX_TAGS = 20

export const updateConversationInput = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assigneeId: z.uuid().nullable().optional(),
    tags: z
      .array(z.string().trim().min(1).max(40))
      .max(MAX_TAGS)
      .transform((tags) => [...new Set(tags)])
      .optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.assigneeId !== undefined || v.tags !== undefined, 'Change at least one of status, assigneeId or tags')
export type UpdateConversationInput = z.infer<typeof updateConversationInput>

interface Actor {
  tenantId: string
  userId: string
  role: Role
}

export async function updateConversation(
  tx: TransactionSql,
  actor: Actor,
  conversationId: string,
  input: UpdateConversationInput,
): Promise<ConversationDetail> {
  // Row lock: two agents changing one conversation apply in turn, and the audit "from" is exact.
  const [before] = await tx<{ status: string; assigneeId: string | null; tags: string[] }[]>`
    select status, assignee_id as "assigneeId", tags from public.conversations
    where id = ${conversationId} and tenant_id = ${actor.tenantId} for update`
  if (!before) throw notFound('Conversation')

  if (input.assigneeId !== undefined && input.assigneeId !== before.assigneeId) await assertMayAssign(tx, actor, input.assigneeId)

  const status = input.status ?? before.status
  const assigneeId = input.assigneeId === undefined ? before.assigneeId : input.assigneeId
  const tags = input.tags ?? before.tags
  await tx`
    update public.conversations set status = ${status}, assignee_id = ${assigneeId}, tags = ${tags}::text[]
    where id = ${conversationId} and tenant_id = ${actor.tenantId}`

  const changes = Object.fromEntries(
    (['status', 'assigneeId', 'tags'] as const)
      .filter((key) => input[key] !== undefined)
      .map((key) => [key, { from: before[key], to: { status, assigneeId, tags }[key] }]),
  )
  await tx`
    insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id, details)
    values (${actor.tenantId}, ${actor.userId}, 'conversation.updated', 'conversation', ${conversationId}, ${tx.json(changes as never)})`
  return getConversation(tx, actor.tenantId, conversationId)
}

async function assertMayAssign(tx: TransactionSql, actor: Actor, assigneeId: string | null) {
  if (!atLeast(actor.role, 'supervisor') && assigneeId !== null && assigneeId !== actor.userId)
    throw forbidden('Agents can assign conversations only to themselves; a supervisor or above can assign others')
  if (assigneeId === null) return
  const [member] = await tx`select 1 from public.memberships where tenant_id = ${actor.tenantId} and user_id = ${assigneeId}`
  if (!member)
    throw new AppError('validation_failed', 'The assignee is not a member of this workspace', [
      { path: 'assigneeId', message: 'Not a member of this workspace' },
    ])
}
