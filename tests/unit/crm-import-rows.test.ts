import { describe, expect, it } from 'vitest'
import { validateImportRow, validateImportRows } from '@/core/crm/validate-import-rows'

describe('CSV row validation', () => {
  it('normalises a valid row: E.164 digits, trimmed name and email, split and de-duplicated tags, custom fields', () => {
    const result = validateImportRow(
      { row: 2, phone: ' (415) 555-2671 ', name: '  Ana  ', email: ' ana@example.test ', tags: 'vip; lisbon, vip', fields: { plan: ' gold ', empty: '  ' } },
      'US',
    )
    expect(result).toEqual({
      ok: true,
      contact: { row: 2, waId: '14155552671', name: 'Ana', email: 'ana@example.test', tags: ['vip', 'lisbon'], customFields: { plan: 'gold' } },
    })
  })

  it("reads a phone escaped against formulas (\"'+1…\") as the number itself", () => {
    expect(validateImportRow({ row: 2, phone: "'+1 415 555 2671" })).toMatchObject({ ok: true, contact: { waId: '14155552671' } })
  })

  it('accepts the 00 international prefix and needs a country code or a default country otherwise', () => {
    expect(validateImportRow({ row: 2, phone: '0044 20 7946 0958' })).toMatchObject({ ok: true, contact: { waId: '442079460958' } })
    expect(validateImportRow({ row: 3, phone: '4155552671' })).toEqual({
      ok: false,
      rejected: { row: 3, reason: 'Phone number needs a country code (+…) or a default country' },
    })
  })

  it.each([
    [{ row: 4, phone: '' }, 'Phone number is missing'],
    [{ row: 4 }, 'Phone number is missing'],
    [{ row: 4, phone: '+1 415' }, '"+1 415" is not a valid phone number'],
    [{ row: 4, phone: 'call me' }, '"call me" is not a valid phone number'],
    [{ row: 4, phone: '+14155552671', email: 'ana@' }, 'Not a valid email address: "ana@"'],
    [{ row: 4, phone: '+14155552671', name: 'x'.repeat(201) }, 'A name is at most 200 characters'],
    [{ row: 4, phone: '+14155552671', tags: 't'.repeat(51) }, 'A tag is at most 50 characters'],
    [{ row: 4, phone: '+14155552671', fields: { note: 'x'.repeat(501) } }, 'A custom field value is at most 500 characters'],
  ])('rejects %j with a reason people can act on', (raw, reason) => {
    expect(validateImportRow(raw, 'US')).toEqual({ ok: false, rejected: { row: 4, reason } })
  })

  it('rejects a custom field name outside a-z, 0-9 and _', () => {
    const result = validateImportRow({ row: 5, phone: '+14155552671', fields: { 'First Name': 'x' } })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.rejected.reason).toBe('"First Name" is not a valid custom field name (1–40 characters of a–z, 0–9 and _)')
  })

  it('keeps the first row of a phone in file order and reports later ones as duplicates', () => {
    const { contacts, rejected, duplicates } = validateImportRows(
      [
        { row: 4, phone: '+1 415 555 2671', name: 'Later' },
        { row: 2, phone: '4155552671', name: 'First' },
        { row: 3, phone: 'nope' },
        { row: 5, phone: '+442079460958' },
      ],
      'US',
    )
    expect(contacts.map((c) => [c.row, c.name])).toEqual([
      [2, 'First'],
      [5, null],
    ])
    expect(rejected.map((r) => r.row)).toEqual([3])
    expect(duplicates).toEqual([4])
  })
})
