// The tenant settings campaigns depend on, kept in tenants.settings beside other keys: opt-out handling
// and the price table for cost estimates. Reading never fails: a missing or unreadable key is its default.
import { z } from 'zod'
import { DEFAULT_OPT_OUT_SETTINGS, optOutSettingsSchema, type OptOutSettings } from '@/core/opt-out/opt-out-settings'
import { DEFAULT_PRICE_TABLE } from '@/core/pricing/default-price-table'
import { priceTableSchema, type PriceTable } from '@/core/pricing/price-table'

export interface CampaignSettings {
  optOut: OptOutSettings
  pricing: PriceTable
}

/** A change replaces each given section whole; sections left out keep their stored value. */
export const campaignSettingsPatchSchema = z
  .object({ optOut: optOutSettingsSchema.optional(), pricing: priceTableSchema.optional() })
  .strict()
  .refine((p) => p.optOut !== undefined || p.pricing !== undefined, 'Send optOut, pricing or both')
export type CampaignSettingsPatch = z.infer<typeof campaignSettingsPatchSchema>

export function readCampaignSettings(settings: unknown): CampaignSettings {
  const stored = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>
  const optOut = optOutSettingsSchema.safeParse(stored.optOut)
  const pricing = priceTableSchema.safeParse(stored.pricing)
  return { optOut: optOut.success ? optOut.data : DEFAULT_OPT_OUT_SETTINGS, pricing: pricing.success ? pricing.data : DEFAULT_PRICE_TABLE }
}
