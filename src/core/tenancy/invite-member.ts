// Invites someone by email with a role. The token is returned once and only its hash is stored.
import { createHash, randomBytes } from 'node:crypto'
import type { TransactionSql } from 'postgres'
import { AppError, conflict, forbidden } from '@/core/errors/app-error'
import type { InviteInput } from '@/core/auth/schemas'
import { canGrant, type Role } from './roles'

export const INVITATION_TTL_DAYS = 7

export const hashInviteToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

export interface Actor {
  userId: string
  tenantId: string
  role: Role
}

export async function inviteMember(tx: TransactionSql, actor: Actor, input: InviteInput) {
  if (!canGrant(actor.role, input.role))
    throw forbidden(actor.role === 'admin' ? 'Admins cannot invite owners' : 'Only owners and admins can invite members')

  const [member] = await tx`
    select 1 from public.memberships m join public.profiles p on p.id = m.user_id
    where m.tenant_id = ${actor.tenantId} and lower(p.email) = ${input.email}`
  if (member) throw conflict(`${input.email} is already a member`)

  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000)
  // A newer invitation to the same address replaces a pending one.
  await tx`delete from public.invitations
           where tenant_id = ${actor.tenantId} and email = ${input.email} and accepted_at is null`
  const [invitation] = await tx<{ id: string; email: string; role: Role; expires_at: Date }[]>`
    insert into public.invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
    values (${actor.tenantId}, ${input.email}, ${input.role}, ${hashInviteToken(token)}, ${actor.userId}, ${expiresAt})
    returning id, email, role, expires_at`
  if (!invitation) throw new AppError('internal', 'Invitation was not stored')
  return { invitation, token }
}
