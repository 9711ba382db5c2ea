// Joins the signed-in user to the inviting workspace (public.accept_invitation checks token, expiry and email).
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'

const REASONS: Record<string, AppError> = {
  invitation_not_found: new AppError('not_found', 'This invitation link is not valid'),
  invitation_expired: new AppError('bad_request', 'This invitation has expired or was already used'),
  invitation_already_accepted: new AppError('bad_request', 'This invitation has expired or was already used'),
  invitation_email_mismatch: new AppError('forbidden', 'This invitation was sent to a different email address'),
}

export async function acceptInvitation(tx: TransactionSql, token: string): Promise<string> {
  try {
    const [row] = await tx<{ tenant_id: string }[]>`select public.accept_invitation(${token}) as tenant_id`
    return row!.tenant_id
  } catch (error) {
    const reason = error instanceof Error ? REASONS[error.message] : undefined
    throw reason ?? error
  }
}
