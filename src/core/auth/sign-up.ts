// Sign-up: a new account that either founds a workspace (as its owner) or joins one through an invitation.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { acceptInvitation } from '@/core/tenancy/accept-invitation'
import { createTenant } from '@/core/tenancy/create-tenant'
import { peekInvitation } from '@/core/tenancy/peek-invitation'
import type { JwtClaims } from './claims'
import { assertAcceptablePassword } from './password-policy'
import type { SignUpInput } from './schemas'

export interface SignUpPorts {
  withService<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T>
  withUser<T>(claims: JwtClaims, fn: (tx: TransactionSql) => Promise<T>): Promise<T>
  /** Signs the new account in, or reports that its address must be confirmed first (no session yet). */
  createAccount(input: SignUpInput): Promise<{ claims: JwtClaims } | { confirmationPending: true }>
}

// The same words whether or not the address already had an account.
export const CHECK_YOUR_INBOX = 'Check your inbox: follow the link we sent to confirm your email address, then sign in.'

export type SignUpResult = { userId: string; tenantId: string } | { confirmationPending: true; message: string }

export async function signUp(ports: SignUpPorts, input: SignUpInput): Promise<SignUpResult> {
  // Before anything is looked up or created: a refused password leaves nothing behind.
  assertAcceptablePassword(input.password, { email: input.email, fullName: input.fullName })
  // Check the invitation before creating the account, so a bad link leaves nothing behind.
  if (input.inviteToken) {
    const invitation = await ports.withService((tx) => peekInvitation(tx, input.inviteToken!))
    if (invitation.email !== input.email)
      throw new AppError('forbidden', 'This invitation was sent to a different email address')
  }
  const account = await ports.createAccount(input)
  // Nobody is signed in yet: the workspace is created (or the invitation accepted) after confirmation.
  if ('confirmationPending' in account) return { confirmationPending: true, message: CHECK_YOUR_INBOX }
  const { claims } = account
  const tenantId = await ports.withUser(claims, (tx) =>
    input.inviteToken
      ? acceptInvitation(tx, input.inviteToken)
      : createTenant(tx, { name: input.tenantName!, timezone: input.timezone }),
  )
  return { userId: claims.sub, tenantId }
}
