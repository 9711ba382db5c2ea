// A tenant's price list for template messages (tenants.settings.pricing): a price per delivered message
// by template category, with a category default and optional per-country (ISO 3166 alpha-2) overrides.
import { z } from 'zod'

export const PRICED_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const
export type PricedCategory = (typeof PRICED_CATEGORIES)[number]

const rate = z.number().min(0, 'A price cannot be negative').max(100, 'A price is at most 100 per message')

const categoryRates = z
  .object({ default: rate })
  .catchall(rate)
  .superRefine((r, ctx) => {
    const countries = Object.keys(r).filter((k) => k !== 'default')
    if (countries.length > 250) ctx.addIssue({ code: 'custom', message: 'At most 250 country prices per category' })
    for (const k of countries)
      if (!/^[A-Z]{2}$/.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" is not a two-letter country code such as BR` })
  })

export const priceTableSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter currency code such as USD'),
  rates: z.object({ MARKETING: categoryRates, UTILITY: categoryRates, AUTHENTICATION: categoryRates }),
})

export type PriceTable = z.infer<typeof priceTableSchema>
