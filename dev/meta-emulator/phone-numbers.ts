// The number registry and Graph's phone-number nodes: `GET /{phone-number-id}?fields=…` and
// `GET /{waba-id}/phone_numbers` (cursor paging), with the fields the app reads when it connects a number.
import type { EmulatorState, NumberInput, RegisteredNumber } from './emulator-state'
import { json, type Reply } from './http-io'
import { MetaError, nonexistingField } from './meta-errors'
import { ensureWaba, numbersOf } from './waba-access'

const DEFAULT_FIELDS = [
  'verified_name',
  'code_verification_status',
  'display_phone_number',
  'quality_rating',
  'platform_type',
  'throughput',
  'id',
]

// Adds or updates a number (unset fields keep their value) under its WABA, which Meta then lists it in;
// a WABA new to the emulator is created with the sample templates.
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
  ensureWaba(state, number.wabaId)
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

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url')
const decodeCursor = (cursor: string) => {
  const id = Buffer.from(cursor, 'base64url').toString()
  if (!/^\d+$/.test(id)) throw new MetaError(400, { message: '(#100) Invalid cursor', type: 'OAuthException', code: 100 })
  return BigInt(id)
}

// Pages like every Graph edge: `limit` (25 by default), `after`/`before` cursors, and `next`/`previous` links
// that carry the caller's token so they can be fetched as they are.
export function wabaPhoneNumbers(state: EmulatorState, wabaId: string, url: URL, token: string): Reply {
  const q = url.searchParams
  const fields = q.get('fields')
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 25) || 25, 1), 1000)
  const all = numbersOf(state, wabaId).sort((a, b) => (BigInt(a.phoneNumberId) < BigInt(b.phoneNumberId) ? -1 : 1))
  const after = q.get('after')
  const before = q.get('before')
  let page: RegisteredNumber[]
  if (after) {
    const id = decodeCursor(after)
    page = all.filter((n) => BigInt(n.phoneNumberId) > id).slice(0, limit)
  } else if (before) {
    const id = decodeCursor(before)
    page = all.filter((n) => BigInt(n.phoneNumberId) < id).slice(-limit)
  } else page = all.slice(0, limit)

  const data = page.map((n) => pick(node(n), fields))
  const first = page[0]
  const last = page.at(-1)
  if (!first || !last) return json(200, { data })
  const link = (key: 'after' | 'before', cursor: string) => {
    const next = new URL(url.pathname, state.baseUrl)
    for (const [k, v] of q) if (!['after', 'before', 'access_token'].includes(k)) next.searchParams.set(k, v)
    next.searchParams.set('access_token', token)
    next.searchParams.set('limit', String(limit))
    next.searchParams.set(key, cursor)
    return next.toString()
  }
  const hasAfter = all.some((n) => BigInt(n.phoneNumberId) > BigInt(last.phoneNumberId))
  const hasBefore = all.some((n) => BigInt(n.phoneNumberId) < BigInt(first.phoneNumberId))
  return json(200, {
    data,
    paging: {
      cursors: { before: encodeCursor(first.phoneNumberId), after: encodeCursor(last.phoneNumberId) },
      ...(hasBefore ? { previous: link('before', encodeCursor(first.phoneNumberId)) } : {}),
      ...(hasAfter ? { next: link('after', encodeCursor(last.phoneNumberId)) } : {}),
    },
  })
}
