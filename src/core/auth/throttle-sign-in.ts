// Runs one sign-in attempt under the throttle: reserve a failure, check the password, give the
// reservation back only when it was right. Refusals read the same whether or not the account exists.
import { AppError } from '@/core/errors/app-error'
import { describeWait, type SignInKeys, type SignInThrottle } from './sign-in-throttle'

/** 429 with the wait in whole seconds (`details.retryAfterSeconds`, also sent as Retry-After). */
export function tooManySignIns(retryAfterMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new AppError('rate_limited', `Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds * 1000)}.`, {
    retryAfterSeconds,
  })
}

export async function throttleSignIn<T>(throttle: SignInThrottle, keys: SignInKeys, signIn: () => Promise<T>): Promise<T> {
  const decision = await throttle.reserve(keys)
  if (!decision.allowed) throw tooManySignIns(decision.retryAfterMs)
  // A wrong password (or any failure) keeps the reservation: it was counted before the check began.
  const result = await signIn()
  await throttle.succeeded(keys)
  return result
}
