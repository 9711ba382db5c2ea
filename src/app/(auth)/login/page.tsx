import Link from 'next/link'
import { Suspense } from 'react'
import { AuthCard } from '@/ui/auth/auth-card'
import { LoginForm } from '@/ui/auth/login-form'

export const metadata = { title: 'Sign in' }

export default function LoginPage() {
  return (
    <AuthCard
      title="Sign in to your workspace"
      footer={
        <>
          New to Conversa?{' '}
          <Link className="font-medium text-brand-700 underline" href="/signup">
            Create a workspace
          </Link>
        </>
      }
    >
      <Suspense>
        <LoginForm />
      </Suspense>
    </AuthCard>
  )
}
