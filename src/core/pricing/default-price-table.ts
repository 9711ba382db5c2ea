// The price table a tenant starts with. Illustrative, approximate list prices per delivered template
// message in USD, not a quote: Meta's rates change and vary by contract, so tenants edit them in settings.
import type { PriceTable } from './price-table'

export const DEFAULT_PRICE_TABLE: PriceTable = {
  currency: 'USD',
  rates: {
    MARKETING: { default: 0.025, BR: 0.0625, IN: 0.0107, US: 0.025, DE: 0.1365, GB: 0.0529, MX: 0.0436, ID: 0.0411 },
    UTILITY: { default: 0.004, BR: 0.008, IN: 0.0014, US: 0.004, DE: 0.0456, GB: 0.022, MX: 0.01, ID: 0.02 },
    AUTHENTICATION: { default: 0.004, BR: 0.0315, IN: 0.0014, US: 0.0135, DE: 0.0768, GB: 0.0358, MX: 0.0239, ID: 0.03 },
  },
}
