// Meta's messaging-limit names changed in 2025 (1K became 2K, per business portfolio); map both
// vocabularies onto the tiers we store.
const TIERS: Record<string, string> = {
  TIER_50: 'TIER_250',
  TIER_250: 'TIER_250',
  TIER_1K: 'TIER_2K',
  TIER_2K: 'TIER_2K',
  TIER_10K: 'TIER_10K',
  TIER_100K: 'TIER_100K',
  TIER_UNLIMITED: 'TIER_UNLIMITED',
  UNLIMITED: 'TIER_UNLIMITED',
}

export function normalizeMessagingTier(value: unknown): string | null {
  return typeof value === 'string' ? (TIERS[value.toUpperCase()] ?? null) : null
}
