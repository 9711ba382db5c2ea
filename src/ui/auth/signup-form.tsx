'use client'
// Sign-up founds a new workspace, or joins one when opened from an invitation link.
import { useMutation } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { api } from '@/ui/api/api-client'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { PasswordStrength, usePasswordVerdict } from './password-strength'

// 201: signed in. 202: the address must be confirmed first (Supabase), said alike for any address.
type SignUpAnswer = { userId: string; tenantId: string } | { confirmationPending: true; message: string }

export function SignupForm({ invite }: { invite?: { token: string; email: string } }) {
  const router = useRouter()
  const [form, setForm] = useState({ fullName: '', email: invite?.email ?? '', password: '', tenantName: '' })
  const [pending, setPending] = useState<string>()
  const verdict = usePasswordVerdict(form.password, { email: form.email, fullName: form.fullName })
  const signup = useMutation({
    mutationFn: () =>
      api<SignUpAnswer>('/api/auth/signup', {
        body: {
          fullName: form.fullName,
          email: form.email,
          password: form.password,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          ...(invite ? { inviteToken: invite.token } : { tenantName: form.tenantName }),
        },
      }),
    onSuccess: (answer) => {
      if ('confirmationPending' in answer) return setPending(answer.message)
      router.replace('/inbox')
      router.refresh()
    },
  })
  const errors = fieldErrors(signup.error)
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value })
  if (pending)
    return (
      <p role="status" className="text-sm text-slate-700">
        {pending}
      </p>
    )
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault()
        signup.mutate()
      }}
    >
      <Field label="Your name" autoComplete="name" required value={form.fullName} onChange={set('fullName')} error={errors.fullName} />
      <Field label="Work email" type="email" autoComplete="email" required readOnly={!!invite} value={form.email} onChange={set('email')} error={errors.email} />
      <div className="space-y-1">
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={form.password}
          onChange={(e) => {
            // The server's verdict was on the old password; the meter speaks for the new one.
            if (errors.password) signup.reset()
            set('password')(e)
          }}
          error={errors.password}
          {...(verdict && !errors.password ? { 'aria-describedby': 'password-strength' } : {})}
        />
        {!errors.password && <PasswordStrength id="password-strength" verdict={verdict} />}
      </div>
      {!invite && <Field label="Company name" required value={form.tenantName} onChange={set('tenantName')} error={errors.tenantName} />}
      {signup.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-sm text-red-600">
          {signup.error.message}
        </p>
      )}
      <button type="submit" className={`${buttonClass} w-full`} disabled={signup.isPending}>
        {signup.isPending ? 'Creating your account…' : invite ? 'Create account and join' : 'Create workspace'}
      </button>
    </form>
  )
}
