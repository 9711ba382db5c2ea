// The password policy: at least 10 characters, and a zxcvbn-ts strength score of at least 3 ("safely
// unguessable") against common passwords, English, Brazilian Portuguese and Spanish words and names,
// and the person's own email and name. Used by sign-up on the server and by the form's meter in the
// browser, which imports this module lazily: the dictionaries are megabytes, so the estimator is
// built once, on first use.
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'
import * as esEs from '@zxcvbn-ts/language-es-es'
import * as ptBr from '@zxcvbn-ts/language-pt-br'
import { AppError } from '@/core/errors/app-error'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MIN_SCORE = 3

export type PasswordScore = 0 | 1 | 2 | 3 | 4

export interface PasswordVerdict {
  ok: boolean
  score: PasswordScore
  /** Why it is refused and what would help, in plain words; absent when it is accepted. */
  message?: string
}

/** Who the password is for: their own details make a weak password. */
export interface PasswordOwner {
  email?: string
  fullName?: string
}

let factory: ZxcvbnFactory | undefined

function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: { ...en.translations, warnings: { ...en.translations.warnings, userInputs: 'It contains your name or email address.' } },
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary, ...ptBr.dictionary, ...esEs.dictionary },
    // Also catches near misses of dictionary words ("passwort", "senha1234").
    useLevenshteinDistance: false,
  })
  return factory
}

/**
 * The person's details as zxcvbn user inputs: the email, its local part (also without a +tag), the
 * words of both and of the name, and the name's words run together ("ricardo.almeida", "almeidaricardo"):
 * zxcvbn scores two known words around a separator as strong unless it knows the whole.
 */
export function ownerInputs({ email, fullName }: PasswordOwner): string[] {
  const local = email?.split('@')[0] ?? ''
  const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  const names = words(fullName ?? '').slice(0, 4)
  const runs = [names, [...names].reverse()].flatMap((order) => (order.length > 1 ? ['', '.', '_', '-'].map((sep) => order.join(sep)) : []))
  const pieces = [email, local, local.replace(/\+.*$/, ''), ...words(local), fullName, ...names, ...runs]
  return [...new Set(pieces.map((p) => p?.trim().toLowerCase()).filter((p): p is string => !!p && p.length >= 2))]
}

export function checkPassword(password: string, owner: PasswordOwner = {}): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) return { ok: false, score: 0, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` }
  const result = estimator().check(password, ownerInputs(owner))
  const score = result.score as PasswordScore
  if (score >= PASSWORD_MIN_SCORE) return { ok: true, score }
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ')
  return { ok: false, score, message: `is too easy to guess.${advice ? ` ${advice}` : ' Add a few more uncommon words.'}` }
}

/** Refuses a weak password as a 422 on the `password` field, the shape input validation uses. */
export function assertAcceptablePassword(password: string, owner: PasswordOwner = {}, path = 'password'): void {
  const verdict = checkPassword(password, owner)
  if (!verdict.ok) throw new AppError('validation_failed', `${path}: ${verdict.message}`, [{ path, message: verdict.message }])
}
