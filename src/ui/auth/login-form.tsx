'use client'
import { useMutation } from '@tanstack/react-query'
import { useRouter, useSearchParams } from 'next/navigation'
import { useEffect, useState } from 'react'
import { safeNextPath } from '@/core/http/safe-next-path'
import { api, ApiError } from '@/ui/api/api-client'
import { buttonClass, Field } from '@/ui/components/field'

// After too many failed attempts the server answers 429 with the wait; it counts down here and the
// button stays off until it has run out.
function lockedUntil(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.status !== 429) return undefined
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  return typeof seconds === 'number' ? Date.now() + seconds * 1000 : undefined
}

const clock = (seconds: number) => (seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`)

export function LoginForm() {
  const router = useRouter()
  const params = useSearchParams()
  const [form, setForm] = useState({ email: '', password: '' })
  const [until, setUntil] = useState<number>()
  const [now, setNow] = useState(() => Date.now())
  const login = useMutation({
    mutationFn: () => api('/api/auth/login', { body: form }),
    onSuccess: () => {
      const next = params.get('next')
      router.replace(safeNextPath(next))
      router.refresh()
    },
    onError: (error) => {
      setUntil(lockedUntil(error))
      setNow(Date.now())
    },
  })
  useEffect(() => {
    if (!until) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [until])
  const waitSeconds = until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault()
        login.mutate()
      }}
    >
      <Field label="Email" type="email" autoComplete="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
      <Field label="Password" type="password" autoComplete="current-password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
      {login.error && (waitSeconds > 0 || !until) && (
        <p role="alert" className="text-sm text-red-600">
          {until ? `Too many failed sign-in attempts. Try again in ${clock(waitSeconds)}.` : login.error.message}
        </p>
      )}
      <button type="submit" className={`${buttonClass} w-full`} disabled={login.isPending || waitSeconds > 0}>
        {login.isPending ? 'Signing in…' : waitSeconds > 0 ? `Try again in ${clock(waitSeconds)}` : 'Sign in'}
      </button>
    </form>
  )
}
