// What sending one template to a set of recipients should cost, from the tenant's price table.
import type { PriceTable, PricedCategory } from './price-table'

export interface CostLine {
  country: string
  count: number
  rate: number
  cost: number
}

export interface CostEstimate {
  total: number
  currency: string
  byCountry: CostLine[]
}

// Sub-cent prices times counts leave float noise (0.1 + 0.2); a millionth is below any price we show.
const round = (n: number) => Math.round(n * 1e6) / 1e6

/**
 * Counts are keyed by ISO country code; a country without its own price (or a key such as "unknown" for
 * recipients whose country is not known) is charged the category's default. Lines are most expensive first.
 */
export function estimateCost(category: PricedCategory, countsByCountry: Record<string, number>, table: PriceTable): CostEstimate {
  const rates = table.rates[category]
  const byCountry = Object.entries(countsByCountry)
    .filter(([, count]) => count > 0)
    .map(([country, count]) => {
      const rate = Object.hasOwn(rates, country) && country !== 'default' ? rates[country]! : rates.default
      return { country, count, rate, cost: round(count * rate) }
    })
    .sort((a, b) => b.cost - a.cost || a.country.localeCompare(b.country))
  return { total: round(byCountry.reduce((sum, line) => sum + line.cost, 0)), currency: table.currency, byCountry }
}
