// How CSV columns become contact fields: a first guess from the header names, custom-field names
// derived from headers, and one parsed record turned into the row the import API takes.
export type ColumnTarget = 'phone' | 'name' | 'email' | 'tags' | 'field' | 'ignore'
export interface ColumnMapping {
  column: string
  target: ColumnTarget
  /** The custom field name when target is 'field'. */
  fieldKey: string
}
export interface ImportRowBody {
  row: number
  phone?: string
  name?: string
  email?: string
  tags?: string
  fields?: Record<string, string>
}

/** A header as a custom field name: lower case, a–z 0–9 and _, at most 40 characters. */
export function fieldKeyOf(header: string): string {
  const key = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
  return key || 'field'
}

export function guessMapping(headers: string[]): ColumnMapping[] {
  const taken = new Set<ColumnTarget>()
  return headers.map((column) => {
    const h = column.toLowerCase()
    const guess: ColumnTarget =
      /phone|mobile|whats|msisdn|cell|number|tel/.test(h) ? 'phone'
      : /e-?mail/.test(h) ? 'email'
      : /tag|label|segment/.test(h) ? 'tags'
      : /name/.test(h) ? 'name'
      : 'field'
    // One column per contact field; a second "name"-like column becomes a custom field.
    const target = guess !== 'field' && taken.has(guess) ? 'field' : guess
    taken.add(target)
    return { column, target, fieldKey: fieldKeyOf(column) }
  })
}

// Longer than any valid value (the longest, a tag list, stays under it): clipping keeps the batch
// within the API's limits while the row is still rejected for being too long.
const MAX_CELL = 3000
const clip = (value: string) => (value.length > MAX_CELL ? value.slice(0, MAX_CELL) : value)

const isBlank = (record: Record<string, unknown>) => Object.values(record).every((v) => typeof v !== 'string' || v.trim() === '')

/** The API row for one parsed record, or null for a blank line. `row` is its 1-based line in the file. */
export function toImportRow(record: Record<string, unknown>, row: number, mapping: ColumnMapping[]): ImportRowBody | null {
  if (isBlank(record)) return null
  const out: ImportRowBody = { row }
  const fields: Record<string, string> = {}
  for (const m of mapping) {
    const value = record[m.column]
    if (typeof value !== 'string' || m.target === 'ignore') continue
    if (m.target === 'field') fields[m.fieldKey] = clip(value)
    else out[m.target] = clip(value)
  }
  if (Object.keys(fields).length) out.fields = fields
  return out
}
