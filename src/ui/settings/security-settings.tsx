'use client'
// The person's own account security: change the password (which signs out every other device) and the
// list of signed-in devices with when each was last used, to sign out one of them or all at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { LaptopMinimal, LogOut } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { useSession } from '@/ui/api/use-session'
import { PasswordStrength, usePasswordVerdict } from '@/ui/auth/password-strength'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { describeDevice, securityKeys, type SessionItem, type SessionsResponse } from './security-api'
import { dateTimeLabel } from '@/ui/components/date-time'

// A full page load drops every cached query of the ended session.
// eslint-disable-next-line @next/next/no-location-assign-relative-destination
const toLogin = () => window.location.assign('/login')

export function SecuritySettings() {
  return (
    <section aria-labelledby="security-title" className="mx-auto max-w-3xl space-y-8">
      <div className="space-y-1">
        <h1 id="security-title" className="text-2xl font-semibold">
          Security
        </h1>
        <p className="text-sm text-slate-500">Your password and the devices signed in to your account.</p>
      </div>
      <ChangePasswordForm />
      <SessionList />
    </section>
  )
}

function ChangePasswordForm() {
  const { data: session } = useSession()
  const queryClient = useQueryClient()
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' })
  const verdict = usePasswordVerdict(form.newPassword, { email: session?.user.email ?? '', fullName: session?.user.fullName ?? undefined })
  const change = useMutation({
    mutationFn: () => api('/api/auth/password', { body: form }),
    onSuccess: () => {
      setForm({ currentPassword: '', newPassword: '' })
      toast.success('Password changed. Every other device was signed out.')
      void queryClient.invalidateQueries({ queryKey: securityKeys.sessions })
    },
  })
  const errors = fieldErrors(change.error)
  const formError = change.error && !Object.keys(errors).length ? change.error.message : undefined

  return (
    <form
      aria-label="Change password"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6"
      onSubmit={(e) => {
        e.preventDefault()
        change.mutate()
      }}
    >
      <h2 className="text-lg font-semibold">Change password</h2>
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        value={form.currentPassword}
        onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
        error={errors.currentPassword}
      />
      <div className="space-y-2">
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={form.newPassword}
          onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
          error={errors.newPassword}
          aria-describedby="new-password-strength"
        />
        <PasswordStrength verdict={verdict} id="new-password-strength" />
      </div>
      {formError && (
        <p role="alert" className="text-sm text-red-600">
          {formError}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={change.isPending || verdict?.ok === false}>
        {change.isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  )
}

function SessionList() {
  const queryClient = useQueryClient()
  const sessions = useQuery({ queryKey: securityKeys.sessions, queryFn: () => api<SessionsResponse>('/api/auth/sessions') })
  const revoke = useMutation({
    mutationFn: (s: SessionItem) => api(`/api/auth/sessions/${s.id}`, { method: 'DELETE' }),
    onSuccess: (_, s) => (s.current ? toLogin() : void queryClient.invalidateQueries({ queryKey: securityKeys.sessions })),
  })
  const everywhere = useMutation({ mutationFn: () => api('/api/auth/sessions', { method: 'DELETE' }), onSuccess: toLogin })
  const list = sessions.data?.sessions ?? []

  return (
    <section aria-labelledby="sessions-title" className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sessions-title" className="text-lg font-semibold">
          Signed-in devices
        </h2>
        <button
          type="button"
          className="inline-flex items-center gap-2 rounded-md border border-red-200 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
          disabled={everywhere.isPending}
          onClick={() => {
            if (window.confirm('Sign out of every device, this one included?')) everywhere.mutate()
          }}
        >
          <LogOut aria-hidden className="h-4 w-4" /> Sign out everywhere
        </button>
      </div>
      {sessions.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Sessions">
          {list.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="flex min-w-0 items-center gap-3">
                <LaptopMinimal aria-hidden className="h-5 w-5 shrink-0 text-slate-400" />
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium" title={s.userAgent ?? undefined}>
                    {describeDevice(s.userAgent)}
                    {s.current && <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-700">This device</span>}
                  </p>
                  <p className="text-xs text-slate-500">
                    {s.ip ? `${s.ip} · ` : ''}last used {dateTimeLabel(s.lastUsedAt)} · signed in {new Date(s.createdAt).toLocaleDateString()}
                  </p>
                </div>
              </div>
              <button
                type="button"
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-60"
                disabled={revoke.isPending}
                aria-label={`Sign out ${describeDevice(s.userAgent)}${s.current ? ' (this device)' : ''}`}
                onClick={() => revoke.mutate(s)}
              >
                Sign out
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
