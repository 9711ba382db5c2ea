// Probe: sign-up accepted `12345678` and `password`. The policy refuses short passwords, common ones (in
// English, Portuguese and Spanish) and ones made of the person's own email or name, with zxcvbn's advice.
import { describe, expect, it } from 'vitest'
import { checkPassword, ownerInputs } from '@/core/auth/password-policy'

const ricardo = { email: 'ricardo.almeida@example.com', fullName: 'Ricardo Almeida' }

describe('the password policy', () => {
  it.each(['password', '12345678', '123456789'])('refuses %s as too short', (password) => {
    expect(checkPassword(password)).toEqual({ ok: false, score: 0, message: 'must be at least 10 characters' })
  })

  it.each(['password123', '1234567890', 'qwertyuiop', 'senha12345', 'contraseña123', 'iloveyou12', 'Password2024', 'aaaaaaaaaaaa'])(
    'refuses the common or patterned %s with advice in plain words',
    (password) => {
      const verdict = checkPassword(password)
      expect(verdict.ok).toBe(false)
      expect(verdict.score).toBeLessThan(3)
      // Whole sentences, not zxcvbn's untranslated keys such as "topTen".
      expect(verdict.message).toMatch(/^is too easy to guess\.( [A-Z][^.]*\.)+$/)
    },
  )

  it.each(['ricardoalmeida', 'ricardo.almeida', 'Ricardo.Almeida1', 'almeidaricardo'])("refuses %s: the email's own name part", (password) => {
    const verdict = checkPassword(password, ricardo)
    expect(verdict.ok).toBe(false)
  })

  it('says when a password is built from the person’s own details', () => {
    expect(checkPassword('ricardo.almeida', ricardo).message).toContain('It contains your name or email address.')
  })

  it.each(['plum-harbor-quietly-47', 'correct horse battery staple', 'mariposa tranquila bajo la lluvia', 'violet-canyon-drifts-77'])('accepts %s', (password) => {
    expect(checkPassword(password, ricardo)).toMatchObject({ ok: true })
  })

  it('passes the email, its local part without a +tag, and the words of both and of the name, run together too', () => {
    expect(ownerInputs({ email: 'ana.souza+crm@example.com', fullName: 'Ana Souza' })).toEqual([
      'ana.souza+crm@example.com',
      'ana.souza+crm',
      'ana.souza',
      'ana',
      'souza',
      'crm',
      'ana souza',
      'anasouza',
      'ana_souza',
      'ana-souza',
      'souzaana',
      'souza.ana',
      'souza_ana',
      'souza-ana',
    ])
  })

  it("refuses the name part of a tagged email and the owner's name written together", () => {
    const owner = { email: 'ricardo.almeida+signup@example.com', fullName: 'Ricardo Almeida' }
    for (const password of ['ricardo.almeida', 'almeida-ricardo', 'RicardoAlmeida']) expect(checkPassword(password, owner).ok).toBe(false)
  })
})
