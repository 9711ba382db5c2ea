'use client'
// The workspace's connected numbers (GET/POST /api/numbers): their shape, their query key, and the one
// query every screen reads them through (inbox, campaigns, templates, settings), so connecting or
// changing a number shows everywhere at once.
import { useQuery } from '@tanstack/react-query'
import { api } from './api-client'
import { useTenantId } from './use-session'
export interface ConnectedNumber {
  id: string
  phoneNumberId: string
  displayPhoneNumber: string | null
  verifiedName: string | null
  throughputMps: number | null
  qualityRating: string | null
  status: string
  wabaId: string
  messagingLimitTier: string | null
}

export interface NumbersResponse {
  numbers: ConnectedNumber[]
}

export const numberKeys = {
  all: (tenantId: string | null) => ['numbers', tenantId] as const,
}

export function useNumbers() {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: numberKeys.all(tenantId),
    queryFn: () => api<NumbersResponse>('/api/numbers'),
    enabled: tenantId !== null,
    select: (r) => r.numbers,
  })
}

/** Meta's quality rating as a dot colour; unknown ratings are grey. */
export const QUALITY_DOT: Record<string, string> = {
  GREEN: 'bg-emerald-500',
  YELLOW: 'bg-amber-400',
  RED: 'bg-red-500',
}

/** "TIER_2K" → "2K / day"; Meta's unlimited tier and missing values read as words. */
export function tierLabel(tier: string | null | undefined): string {
  if (!tier) return 'Unknown'
  if (tier === 'TIER_UNLIMITED') return 'Unlimited'
  const match = tier.match(/^TIER_(\w+)$/)
  return match ? `${match[1]} / day` : tier
}
