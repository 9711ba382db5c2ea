// What an unknown address shows: where the person is, and the ways back, in the product's own look
// rather than the framework's bare 404.
import type { Metadata } from 'next'
import Link from 'next/link'
import { AuthCard } from '@/ui/auth/auth-card'
import { buttonClass } from '@/ui/components/field'

export const metadata: Metadata = { title: 'Page not found' }

export default function NotFound() {
  return (
    <AuthCard title="This page does not exist">
      <p className="mb-6 text-sm text-slate-600">The address may be mistyped, or the page was moved or deleted.</p>
      <div className="flex flex-wrap gap-3">
        <Link href="/inbox" className={buttonClass}>
          Go to the inbox
        </Link>
        <Link href="/login" className="self-center text-sm font-medium text-brand-700 hover:underline">
          Sign in
        </Link>
      </div>
    </AuthCard>
  )
}
