// Members of the current workspace and its pending invitations, for the members settings page.
import type { TransactionSql } from 'postgres'
import type { Role } from './roles'

export interface Member {
  userId: string
  email: string
  fullName: string | null
  role: Role
  joinedAt: Date
}
export interface PendingInvitation {
  id: string
  email: string
  role: Role
  expiresAt: Date
}

export async function listMembers(tx: TransactionSql, tenantId: string) {
  const members = await tx<Member[]>`
    select m.user_id as "userId", p.email, p.full_name as "fullName", m.role, m.created_at as "joinedAt"
    from public.memberships m
    left join public.profiles p on p.id = m.user_id
    where m.tenant_id = ${tenantId}
    order by m.created_at`
  const invitations = await tx<PendingInvitation[]>`
    select id, email, role, expires_at as "expiresAt"
    from public.invitations
    where tenant_id = ${tenantId} and accepted_at is null and expires_at > now()
    order by created_at desc`
  return { members, invitations }
}
