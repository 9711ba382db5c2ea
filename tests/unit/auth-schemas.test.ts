import { describe, expect, it } from 'vitest'
import { signUpSchema } from '@/core/auth/schemas'
import { AppError } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'

const valid = { email: ' Owner@Example.COM ', password: 'long-enough', fullName: 'Ana', tenantName: 'Acme', timezone: 'Europe/Lisbon' }

describe('sign-up input', () => {
  it('normalises the email and keeps names verbatim, SQL metacharacters included', () => {
    const parsed = parseInput(signUpSchema, { ...valid, tenantName: "Robert'); DROP TABLE tenants;--" })
    expect(parsed.email).toBe('owner@example.com')
    expect(parsed.tenantName).toBe("Robert'); DROP TABLE tenants;--")
  })

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['a missing workspace name without an invitation', { tenantName: undefined }, 'tenantName'],
  ])('rejects %s with a 422 naming the field', (_label, patch, field) => {
    const error = (() => {
      try {
        parseInput(signUpSchema, { ...valid, ...patch })
      } catch (e) {
        return e as AppError
      }
    })()
    expect(error).toBeInstanceOf(AppError)
    expect(error!.status).toBe(422)
    expect((error!.details as { path: string }[]).map((d) => d.path)).toContain(field)
  })

  it('accepts an invitation token instead of a workspace name', () => {
    expect(() => parseInput(signUpSchema, { ...valid, tenantName: undefined, inviteToken: 'x'.repeat(43) })).not.toThrow()
  })
})
