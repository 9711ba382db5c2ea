// How campaign figures read on screen: percentages, durations, money, progress and a sentence for an
// audience; kept pure so the list, the wizard and the campaign page say things the same way.
import type { Audience, CampaignStatus, ContactField, FieldFilter, RetargetSegment } from '@/core/campaigns/campaign-schemas'
import type { Funnel } from '@/core/campaigns/campaign-views'

export const STATUS_STYLE: Record<CampaignStatus, string> = {
  draft: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  scheduled: 'bg-sky-50 text-sky-700 ring-sky-600/20',
  running: 'bg-brand-50 text-brand-700 ring-brand-600/20',
  paused: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  completed: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  cancelled: 'bg-slate-100 text-slate-500 ring-slate-500/20',
  failed: 'bg-red-50 text-red-700 ring-red-600/20',
}

/** Statuses whose numbers move by the second, so the page polls fast. */
export const LIVE_STATUSES: ReadonlySet<CampaignStatus> = new Set(['scheduled', 'running', 'paused'])

export const CONTACT_FIELD_LABEL: Record<ContactField, string> = {
  name: 'Name',
  first_name: 'First name',
  wa_id: 'WhatsApp number',
  email: 'Email',
  profile_name: 'WhatsApp profile name',
}

export const SEGMENT_LABEL: Record<RetargetSegment, string> = {
  sent_not_delivered: 'Sent but not delivered',
  delivered_not_read: 'Delivered but not read',
  read_not_replied: 'Read but not replied',
  replied: 'Replied',
  failed: 'Failed',
}

/** "42%" (whole numbers; one decimal below 10%), or "—" when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '—'
  const p = (part / whole) * 100
  return `${p > 0 && p < 10 ? p.toFixed(1).replace(/\.0$/, '') : Math.round(p)}%`
}

/** Everyone the campaign is done with: handed to Meta (whatever happened next), failed or skipped. */
export function settledOf(funnel: Pick<Funnel, 'sent' | 'failed' | 'skipped'>): number {
  return funnel.sent + funnel.failed + funnel.skipped
}

/** 42 → "42 s", 3720 → "1 h 2 min", 93600 → "1 d 2 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  const minutes = Math.round(s / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: amount > 0 && amount < 1 ? 4 : 2 }).format(amount)
  } catch {
    // Not an ISO 4217 code Intl knows: the figure still reads, with the code after it.
    return `${amount.toFixed(2)} ${currency}`
  }
}

const OPERATOR_TEXT: Record<FieldFilter['op'], string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  present: 'is set',
  absent: 'is not set',
}

const orList = (items: string[]) => items.map((t) => `“${t}”`).join(' or ')

/** The audience rules as one sentence, for the review summary. */
export function describeAudience(audience: Audience, listSize: number): string {
  const who =
    audience.source === 'list'
      ? `The ${listSize.toLocaleString('en')} contact${listSize === 1 ? '' : 's'} on the list`
      : audience.includeTags.length
        ? `Contacts tagged ${orList(audience.includeTags)}`
        : 'All contacts'
  const rules = [
    ...(audience.source === 'list' && audience.includeTags.length ? [`tagged ${orList(audience.includeTags)}`] : []),
    ...(audience.excludeTags.length ? [`not tagged ${orList(audience.excludeTags)}`] : []),
    ...audience.fields.map((f) => `${f.key} ${OPERATOR_TEXT[f.op]}${f.op === 'present' || f.op === 'absent' ? '' : ` “${f.value ?? ''}”`}`),
  ]
  return rules.length ? `${who}, ${rules.join(', ')}` : who
}
