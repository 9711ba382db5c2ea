import Link from 'next/link'
import { AuthCard } from '@/ui/auth/auth-card'
import { SignupForm } from '@/ui/auth/signup-form'

export const metadata = { title: 'Create a workspace' }

export default function SignupPage() {
  return (
    <AuthCard
      title="Create your workspace"
      footer={
        <>
          Already have an account?{' '}
          <Link className="font-medium text-brand-700 underline" href="/login">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm />
    </AuthCard>
  )
}
