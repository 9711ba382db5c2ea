'use client'
// The strength meter under a new password: the policy the server applies (core/auth/password-policy),
// run in the browser. Its dictionaries are megabytes, so the module loads on the first keystroke, in a
// chunk of its own, and each check waits for a pause in typing.
import { useEffect, useState } from 'react'
import type { PasswordOwner, PasswordVerdict } from '@/core/auth/password-policy'

let policy: Promise<typeof import('@/core/auth/password-policy')> | undefined
const loadPolicy = () => (policy ??= import('@/core/auth/password-policy'))

/** The verdict on `password` once it has been checked; undefined while empty or being checked. */
export function usePasswordVerdict(password: string, owner: PasswordOwner): PasswordVerdict | undefined {
  const [checked, setChecked] = useState<{ password: string; verdict: PasswordVerdict }>()
  const { email, fullName } = owner
  useEffect(() => {
    if (!password) return
    let current = true
    const timer = setTimeout(() => {
      void loadPolicy().then(({ checkPassword }) => {
        if (current) setChecked({ password, verdict: checkPassword(password, { email, fullName }) })
      })
    }, 150)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [password, email, fullName])
  return password && checked?.password === password ? checked.verdict : undefined
}

const LEVELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const
const COLOURS = ['bg-red-500', 'bg-red-500', 'bg-amber-500', 'bg-emerald-500', 'bg-emerald-600'] as const

// "is too easy to guess. …" reads after a field name; standing alone it becomes a sentence.
const sentence = (message: string) => {
  const text = message.replace(/^is /, '')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function PasswordStrength({ verdict, id }: { verdict: PasswordVerdict | undefined; id?: string }) {
  if (!verdict) return null
  return (
    <div id={id} className="space-y-1" aria-live="polite">
      <div role="meter" aria-label="Strength" aria-valuemin={0} aria-valuemax={4} aria-valuenow={verdict.score} aria-valuetext={LEVELS[verdict.score]} className="flex gap-1">
        {LEVELS.slice(1).map((level, i) => (
          <span key={level} className={`h-1.5 flex-1 rounded-full ${i < verdict.score ? COLOURS[verdict.score] : 'bg-slate-200'}`} />
        ))}
      </div>
      <p className={`text-xs ${verdict.ok ? 'text-emerald-700' : 'text-slate-600'}`}>
        {LEVELS[verdict.score]}
        {verdict.message ? ` — ${sentence(verdict.message)}` : ''}
      </p>
    </div>
  )
}
