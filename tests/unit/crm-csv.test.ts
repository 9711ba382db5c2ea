import { describe, expect, it } from 'vitest'
import { contactCsvLine, csvCell } from '@/core/crm/contacts-csv'

describe('CSV cells', () => {
  it('quotes cells with commas, quotes, line breaks or edge spaces, doubling inner quotes', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('Smith, Jr')).toBe('"Smith, Jr"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(' padded')).toBe('" padded"')
  })

  it('prefixes cells a spreadsheet would run as a formula with a quote', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/"/g, '').startsWith(`'${start}`)).toBe(true)
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"')
  })

  it('writes the phone as E.164 unprefixed, because it is built from digits only', () => {
    const line = contactCsvLine(
      { id: 'x', waId: '14155552671', name: '-1', profileName: null, email: null, tags: ['a', 'b'], customFields: { plan: '@x' }, optedOutAt: null, blocked: true, lastInboundAt: null },
      ['plan', 'missing'],
    )
    expect(line).toBe("+14155552671,'-1,,\"a, b\",no,yes,'@x,\r\n")
  })
})
