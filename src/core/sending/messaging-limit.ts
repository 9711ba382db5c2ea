// Meta's messaging limit: unique customers a business portfolio may reach outside a customer-service
// window in a moving 24 hours, shared by all its numbers.
export const MESSAGING_LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000

const LIMITS: Record<string, number> = {
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
}

/** Unknown tiers get the smallest limit: sending less than allowed is safe, more is not. */
export const messagingLimitFor = (tier: string | null | undefined) => LIMITS[tier ?? ''] ?? 250

/** The account's limit: Meta's reported figure (or an admin's) when known, else its tier's. */
export const messagingLimitOf = (account: { tier: string | null | undefined; limit: number | null | undefined }) => account.limit ?? messagingLimitFor(account.tier)
