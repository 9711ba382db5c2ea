import Link from 'next/link'
import { AppError } from '@/core/errors/app-error'
import { peekInvitation, type InvitationPreview } from '@/core/tenancy/peek-invitation'
import { db } from '@/server/db/db'
import { hasPageSession } from '@/server/http/page-session'
import { AcceptInviteButton } from '@/ui/auth/accept-invite-button'
import { AuthCard } from '@/ui/auth/auth-card'
import { SignupForm } from '@/ui/auth/signup-form'

export const metadata = { title: 'Invitation' }

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  let invitation: InvitationPreview
  try {
    invitation = await db().withService((tx) => peekInvitation(tx, token))
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return (
      <AuthCard title="Invitation unavailable">
        <p className="text-sm text-slate-700">{error.message}. Ask your workspace admin for a new link.</p>
      </AuthCard>
    )
  }
  const signedIn = await hasPageSession()
  return (
    <AuthCard
      title={`Join ${invitation.tenantName}`}
      footer={
        signedIn ? undefined : (
          <>
            Already have an account?{' '}
            <Link className="font-medium text-brand-700 underline" href={`/login?next=/invite/${encodeURIComponent(token)}`}>
              Sign in to accept
            </Link>
          </>
        )
      }
    >
      <p className="mb-6 text-sm text-slate-700">
        You were invited as <strong>{invitation.role}</strong> ({invitation.email}).
      </p>
      {signedIn ? (
        <AcceptInviteButton token={token} tenantName={invitation.tenantName} />
      ) : (
        <SignupForm invite={{ token, email: invitation.email }} />
      )}
    </AuthCard>
  )
}
