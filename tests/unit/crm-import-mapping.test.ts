import { describe, expect, it } from 'vitest'
import { fieldKeyOf, guessMapping, toImportRow } from '@/ui/contacts/import-mapping'

describe('CSV column mapping', () => {
  it('guesses contact fields from header names and turns the rest into custom fields', () => {
    const mapping = guessMapping(['WhatsApp Number', 'Full name', 'E-mail', 'Tags', 'Company name', 'Città natale'])
    expect(mapping.map((m) => [m.target, m.fieldKey])).toEqual([
      ['phone', 'whatsapp_number'],
      ['name', 'full_name'],
      ['email', 'e_mail'],
      ['tags', 'tags'],
      ['field', 'company_name'],
      ['field', 'citta_natale'],
    ])
    expect(fieldKeyOf('!!!')).toBe('field')
    expect(fieldKeyOf('x'.repeat(60))).toHaveLength(40)
  })

  it('builds the API row from a record, skipping blank lines and clipping cells no field could hold', () => {
    const mapping = guessMapping(['phone', 'name', 'city', 'unused'])
    mapping[3]!.target = 'ignore'
    expect(toImportRow({ phone: '+1 415 555 2671', name: 'Ana', city: 'Porto', unused: 'x' }, 2, mapping)).toEqual({
      row: 2,
      phone: '+1 415 555 2671',
      name: 'Ana',
      fields: { city: 'Porto' },
    })
    expect(toImportRow({ phone: ' ', name: '' }, 3, mapping)).toBeNull()
    expect(toImportRow({ phone: '1', name: 'n'.repeat(10_000) }, 4, mapping)?.name).toHaveLength(3000)
  })
})
