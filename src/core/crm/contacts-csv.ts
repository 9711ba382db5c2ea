// Contacts as CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a
// formula (= + - @, tab, CR) prefixed with a quote. The phone column is exempt: we build it from
// digits, so it can only be "+digits", and keeping it clean lets the file be imported again.
import { waIdToE164 } from './normalize-phone'
import type { ContactListItem } from './list-contacts'

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: string, options: { trusted?: boolean } = {}): string {
  const safe = !options.trusted && FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export const csvLine = (cells: string[]) => `${cells.join(',')}\r\n`

export const CSV_BASE_COLUMNS = ['phone', 'name', 'email', 'tags', 'opted_out', 'blocked'] as const

export function contactsCsvHeader(fieldKeys: string[]): string {
  return csvLine([...CSV_BASE_COLUMNS, ...fieldKeys].map((c) => csvCell(c)))
}

export function contactCsvLine(contact: ContactListItem, fieldKeys: string[]): string {
  return csvLine([
    csvCell(waIdToE164(contact.waId), { trusted: true }),
    csvCell(contact.name ?? ''),
    csvCell(contact.email ?? ''),
    csvCell(contact.tags.join(', ')),
    contact.optedOutAt ? 'yes' : 'no',
    contact.blocked ? 'yes' : 'no',
    ...fieldKeys.map((k) => csvCell(contact.customFields[k] ?? '')),
  ])
}
