// Sign-up: a new account that either founds a workspace (as its owner) or joins one through an invitation.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { acceptInvitation } from '@/core/tenancy/accept-invitation'
import { createTenant } from '@/core/tenancy/create-tenant'
import { peekInvitation } from '@/core/tenancy/peek-invitation'
import type { JwtClaims } from './claims'
import type { SignUpInput } from './schemas'

export interface SignUpPorts {
  withService<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T>
  withUser<T>(claims: JwtClaims, fn: (tx: TransactionSql) => Promise<T>): Promise<T>
  createAccount(input: SignUpInput): Promise<{ claims: JwtClaims }>
}

export async function signUp(ports: SignUpPorts, input: SignUpInput) {
  // Check the invitation before creating the account, so a bad link leaves nothing behind.
  if (input.inviteToken) {
    const invitation = await ports.withService((tx) => peekInvitation(tx, input.inviteToken!))
    if (invitation.email !== input.email)
      throw new AppError('forbidden', 'This invitation was sent to a different email address')
  }
  const { claims } = await ports.createAccount(input)
  const tenantId = await ports.withUser(claims, (tx) =>
    input.inviteToken
      ? acceptInvitation(tx, input.inviteToken)
      : createTenant(tx, { name: input.tenantName!, timezone: input.timezone }),
  )
  return { userId: claims.sub, tenantId }
}
