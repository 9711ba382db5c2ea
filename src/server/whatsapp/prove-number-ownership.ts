// Proves, with the token being connected, that it reads the phone number and the WhatsApp Business Account
// and that Meta lists the number in that WABA; and subscribes our app to the WABA. Refusals are 4xx in words.
import { AppError } from '@/core/errors/app-error'
import type { GraphClient, PhoneNumberInfo } from '@/core/whatsapp/graph-client'
import { GraphApiError } from '@/core/whatsapp/graph-errors'

// Which check failed: the caller sees it in `details.check`.
export type OwnershipCheck = 'number' | 'waba' | 'membership' | 'subscription'

// Every unproven claim gets the same status (422) whatever failed, so a refusal never hints at who holds the WABA.
// Meta throttling is the one exception: it is about our request rate, not about the claim.
function refusal(check: OwnershipCheck, what: string, error: unknown): never {
  if (!(error instanceof GraphApiError)) throw error
  const { info } = error
  const details = { check, code: info.code }
  if (info.kind === 'throttled') throw new AppError('rate_limited', `${what}: Meta is limiting requests right now; try again in a minute`, details)
  const reason = [info.title, info.details].filter(Boolean).join(': ')
  const retry = info.kind === 'transient' ? '; try again' : ''
  throw new AppError('validation_failed', `${what}: ${reason}${retry}`, details)
}

export interface OwnershipInput {
  phoneNumberId: string
  wabaId: string
  accessToken: string
}

/** Meta's facts about the number, once the token is shown to read it and the WABA, and the WABA to hold it. */
export async function proveNumberOwnership(graph: GraphClient, input: OwnershipInput): Promise<PhoneNumberInfo> {
  const { phoneNumberId, wabaId, accessToken } = input
  const info = await graph
    .getPhoneNumber(phoneNumberId, accessToken)
    .catch((error: unknown) => refusal('number', 'Meta did not accept this number and token', error))
  const listed = await graph
    .listWabaPhoneNumbers(wabaId, accessToken)
    .catch((error: unknown) => refusal('waba', `This access token cannot read WhatsApp Business Account ${wabaId}`, error))
  if (!listed.some((n) => n.id === phoneNumberId)) {
    throw new AppError(
      'validation_failed',
      `Phone number ${phoneNumberId} is not in WhatsApp Business Account ${wabaId}; check both ids in WhatsApp Manager`,
      { check: 'membership', code: null },
    )
  }
  return info
}

/** Our app receives the WABA's template, quality and account webhooks only once it is subscribed. */
export async function subscribeToWaba(graph: GraphClient, wabaId: string, accessToken: string): Promise<void> {
  await graph
    .subscribeApp(wabaId, accessToken)
    .catch((error: unknown) => refusal('subscription', `Meta did not subscribe Conversa to WhatsApp Business Account ${wabaId}`, error))
}
