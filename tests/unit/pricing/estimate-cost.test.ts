import { describe, expect, it } from 'vitest'
import { countryOfWaId } from '@/core/pricing/country-of-wa-id'
import { DEFAULT_PRICE_TABLE } from '@/core/pricing/default-price-table'
import { estimateCost } from '@/core/pricing/estimate-cost'
import { priceTableSchema, type PriceTable } from '@/core/pricing/price-table'

const TABLE: PriceTable = {
  currency: 'EUR',
  rates: { MARKETING: { default: 0.05, BR: 0.06, IN: 0.01 }, UTILITY: { default: 0.004 }, AUTHENTICATION: { default: 0.003, BR: 0.03 } },
}

describe('estimating a template send', () => {
  it('prices each country at its own rate, others at the category default, most expensive first', () => {
    expect(estimateCost('MARKETING', { IN: 1000, BR: 300, FR: 10, unknown: 2 }, TABLE)).toEqual({
      currency: 'EUR',
      total: 28.6,
      byCountry: [
        { country: 'BR', count: 300, rate: 0.06, cost: 18 },
        { country: 'IN', count: 1000, rate: 0.01, cost: 10 },
        { country: 'FR', count: 10, rate: 0.05, cost: 0.5 },
        { country: 'unknown', count: 2, rate: 0.05, cost: 0.1 },
      ],
    })
  })

  it('uses the category asked for and leaves out empty countries', () => {
    expect(estimateCost('UTILITY', { BR: 3, IN: 0 }, TABLE)).toEqual({ currency: 'EUR', total: 0.012, byCountry: [{ country: 'BR', count: 3, rate: 0.004, cost: 0.012 }] })
    expect(estimateCost('AUTHENTICATION', {}, TABLE)).toEqual({ currency: 'EUR', total: 0, byCountry: [] })
  })

  it('adds sub-cent prices without float noise', () => {
    expect(estimateCost('MARKETING', { XX: 3 }, { ...TABLE, rates: { ...TABLE.rates, MARKETING: { default: 0.1 } } }).total).toBe(0.3)
  })

  it('never reads the default key as a country', () => {
    expect(estimateCost('MARKETING', { default: 1 }, TABLE).byCountry[0]!.rate).toBe(0.05)
  })
})

describe('the price table schema', () => {
  it('accepts the default table', () => {
    expect(priceTableSchema.safeParse(DEFAULT_PRICE_TABLE).success).toBe(true)
  })

  it('refuses lowercase country codes, negative prices, a missing default and a bad currency', () => {
    const issues = priceTableSchema.safeParse({
      currency: 'usd',
      rates: { MARKETING: { default: 1, br: 1 }, UTILITY: { default: -1 }, AUTHENTICATION: { BR: 1 } },
    }).error?.issues.map((i) => i.path.join('.'))
    expect(issues).toEqual(expect.arrayContaining(['currency', 'rates.MARKETING.br', 'rates.UTILITY.default', 'rates.AUTHENTICATION.default']))
  })
})

describe("a WhatsApp id's country", () => {
  it.each([
    ['5511987654321', 'BR'],
    ['919876543210', 'IN'],
    ['4915112345678', 'DE'],
    ['16505551234', 'US'],
    ['6281234567890', 'ID'],
    ['447700900123', 'GB'],
    ['15550783881', 'US'],
  ])('%s is in %s', (waId, country) => {
    expect(countryOfWaId(waId)).toBe(country)
  })

  it('is unknown for digits that are no phone number', () => {
    expect(countryOfWaId('12')).toBeNull()
    expect(countryOfWaId('+5511987654321')).toBeNull()
    expect(countryOfWaId('99999999999')).toBeNull()
  })
})
