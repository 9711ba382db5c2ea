// The number registry and Graph's phone-number nodes: `GET /{phone-number-id}?fields=…` and
// `GET /{waba-id}/phone_numbers`, with the fields the app reads when it connects a number.
import type { EmulatorState, NumberInput, RegisteredNumber } from './emulator-state'
import { json, type Reply } from './http-io'
import { nonexistingField } from './meta-errors'
import { ensureTemplatesSeeded } from './templates'

const DEFAULT_FIELDS = [
  'verified_name',
  'code_verification_status',
  'display_phone_number',
  'quality_rating',
  'platform_type',
  'throughput',
  'id',
]

// Adds or updates a number (unset fields keep their value) and gives a new WABA the sample templates.
export function addNumber(state: EmulatorState, input: NumberInput): RegisteredNumber {
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as NumberInput
  const number: RegisteredNumber = {
    mps: 80,
    qualityRating: 'GREEN',
    messagingLimitTier: 'TIER_1K',
    ...state.numbers.get(input.phoneNumberId),
    ...given,
  }
  state.numbers.set(number.phoneNumberId, number)
  ensureTemplatesSeeded(state, number.wabaId)
  return number
}

function node(number: RegisteredNumber): Record<string, unknown> {
  return {
    verified_name: number.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: number.displayPhoneNumber,
    quality_rating: number.qualityRating,
    platform_type: 'CLOUD_API',
    // Meta's HIGH level is the 1,000 MPS upgrade; the 80 MPS default (and 20 for coexistence) is STANDARD.
    throughput: { level: number.mps > 80 ? 'HIGH' : 'STANDARD' },
    messaging_limit_tier: number.messagingLimitTier,
    name_status: 'APPROVED',
    is_official_business_account: false,
    account_mode: 'LIVE',
    id: number.phoneNumberId,
  }
}

function pick(all: Record<string, unknown>, fieldsParam: string | null) {
  const fields = fieldsParam?.split(',').map((f) => f.trim()).filter(Boolean) ?? DEFAULT_FIELDS
  const unknown = fields.find((f) => !(f in all))
  if (unknown) throw nonexistingField(unknown, 'WhatsAppBusinessPhoneNumber')
  return Object.fromEntries([...new Set([...fields, 'id'])].map((f) => [f, all[f]]))
}

export function phoneNumberInfo(number: RegisteredNumber, url: URL): Reply {
  return json(200, pick(node(number), url.searchParams.get('fields')))
}

export function wabaPhoneNumbers(state: EmulatorState, wabaId: string, url: URL): Reply {
  const numbers = [...state.numbers.values()].filter((n) => n.wabaId === wabaId)
  const data = numbers.map((n) => pick(node(n), url.searchParams.get('fields')))
  const cursor = (id: string | undefined) => Buffer.from(id ?? '').toString('base64url')
  return json(200, { data, paging: { cursors: { before: cursor(numbers[0]?.phoneNumberId), after: cursor(numbers.at(-1)?.phoneNumberId) } } })
}
