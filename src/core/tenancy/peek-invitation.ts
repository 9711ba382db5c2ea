// What an invitation link offers (workspace, email, role), read with the service connection because
// the visitor may not have an account yet. Knowing the token is the authorisation.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { hashInviteToken } from './invite-member'
import type { Role } from './roles'

export interface InvitationPreview {
  tenantName: string
  email: string
  role: Role
}

export async function peekInvitation(serviceTx: TransactionSql, token: string): Promise<InvitationPreview> {
  const [row] = await serviceTx<(InvitationPreview & { usable: boolean })[]>`
    select t.name as "tenantName", i.email, i.role, (i.accepted_at is null and i.expires_at > now()) as usable
    from public.invitations i join public.tenants t on t.id = i.tenant_id
    where i.token_hash = ${hashInviteToken(token)}`
  if (!row) throw new AppError('not_found', 'This invitation link is not valid')
  if (!row.usable) throw new AppError('bad_request', 'This invitation has expired or was already used')
  return { tenantName: row.tenantName, email: row.email, role: row.role }
}
