// The envelope every WhatsApp webhook shares: object → entry (WABA) → changes (field + value). Messages
// and statuses carry `metadata` naming the business number; management events carry only the WABA.
import { digitsOf, type RegisteredNumber } from './emulator-state'

export const metadataOf = (number: RegisteredNumber) => ({
  display_phone_number: digitsOf(number.displayPhoneNumber),
  phone_number_id: number.phoneNumberId,
})

export interface MessagesChangeValue {
  contacts?: unknown[]
  messages?: unknown[]
  statuses?: unknown[]
  errors?: unknown[]
}

export const messagesValue = (number: RegisteredNumber, value: MessagesChangeValue) => ({
  messaging_product: 'whatsapp',
  metadata: metadataOf(number),
  ...value,
})

export const messagesEnvelope = (number: RegisteredNumber, value: MessagesChangeValue) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: number.wabaId, changes: [{ value: messagesValue(number, value), field: 'messages' }] }],
})

// Account-level fields (template status, quality) carry `time` on the entry, as Meta's do.
export const accountEnvelope = (wabaId: string, field: string, value: unknown) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field }] }],
})
