// Changing a member's role and removing a member. Owners manage anyone, admins anyone but owners, and a
// role can only be given by someone who could grant it (the same rule the RLS policies enforce). Anyone
// may leave. A workspace always keeps an owner: the database refuses to lose its last one.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { forbidden, notFound } from '@/core/errors/app-error'
import type { Actor } from './invite-member'
import { canGrant, roleSchema, type Role } from './roles'

export const changeRoleInput = z.strictObject({ role: roleSchema })
export const memberUserIdParam = z.uuid()

async function membership(tx: TransactionSql, tenantId: string, userId: string) {
  const [row] = await tx<{ role: Role }[]>`select role from public.memberships where tenant_id = ${tenantId} and user_id = ${userId}`
  if (!row) throw notFound('Member')
  return row
}

const audit = (tx: TransactionSql, actor: Actor, action: string, userId: string, details: Record<string, unknown>) =>
  tx`insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id, details)
     values (${actor.tenantId}, ${actor.userId}, ${action}, 'member', ${userId}, ${tx.json(details as never)})`

export async function changeMemberRole(tx: TransactionSql, actor: Actor, userId: string, role: Role) {
  const current = await membership(tx, actor.tenantId, userId)
  if (!canGrant(actor.role, current.role) || !canGrant(actor.role, role))
    throw forbidden(actor.role === 'admin' ? 'Admins cannot change owners or make someone an owner' : 'Only owners and admins change roles')
  if (current.role === role) return { userId, role }
  await tx`update public.memberships set role = ${role} where tenant_id = ${actor.tenantId} and user_id = ${userId}`
  await audit(tx, actor, 'member.role_changed', userId, { from: current.role, to: role })
  return { userId, role }
}

export async function removeMember(tx: TransactionSql, actor: Actor, userId: string) {
  const current = await membership(tx, actor.tenantId, userId)
  if (userId !== actor.userId && !canGrant(actor.role, current.role))
    throw forbidden(actor.role === 'admin' ? 'Admins cannot remove owners' : 'Only owners and admins remove members')
  // Audited first: the row below may be the actor's own, after which RLS hides the workspace from them.
  await audit(tx, actor, userId === actor.userId ? 'member.left' : 'member.removed', userId, { role: current.role })
  await tx`delete from public.memberships where tenant_id = ${actor.tenantId} and user_id = ${userId}`
  return { removed: userId }
}
