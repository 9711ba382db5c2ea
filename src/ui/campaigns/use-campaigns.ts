'use client'
// The campaigns area's server state: the list, one campaign (polled fast while it sends), its review,
// funnel and recipients, and the writes that change them.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import type { CampaignAction, CampaignDraft, RetargetSegment } from '@/core/campaigns/campaign-schemas'
import { api } from '@/ui/api/api-client'
import { useRealtime } from '@/ui/realtime/use-realtime'
import { LIVE_STATUSES } from './campaign-format'
import { useTenantId } from '@/ui/api/use-session'
import {
  campaignKeys,
  recipientParams,
  type AudienceListResult,
  type CampaignDetail,
  type CampaignFunnelView,
  type CampaignReview,
  type CampaignSummary,
  type RecipientFilter,
  type RecipientPage,
} from './campaigns-api'

const FAST_MS = 1000
const SLOW_MS = 10_000
// The most often message changes refetch an open campaign's funnel and recipients.
const FOLLOW_MS = 1000
const RECIPIENT_PAGE = 50
const PREVIEW_SAMPLE = 5

export function useCampaignList() {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: campaignKeys.list(tenantId),
    queryFn: () => api<{ campaigns: CampaignSummary[] }>('/api/campaigns').then((r) => r.campaigns),
    enabled: tenantId !== null,
    refetchInterval: SLOW_MS,
  })
}

/** `poll`: refetch every second while the campaign is scheduled, running or paused, every ten otherwise. */
export function useCampaign(id: string, { poll = false } = {}) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: campaignKeys.campaign(tenantId, id),
    queryFn: () => api<{ campaign: CampaignDetail }>(`/api/campaigns/${id}`).then((r) => r.campaign),
    enabled: tenantId !== null,
    refetchInterval: poll ? (query) => (query.state.data && LIVE_STATUSES.has(query.state.data.status) ? FAST_MS : SLOW_MS) : false,
  })
}

export function useCampaignFunnel(id: string, live: boolean) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: campaignKeys.funnel(tenantId, id),
    queryFn: () => api<{ funnel: CampaignFunnelView }>(`/api/campaigns/${id}/funnel`).then((r) => r.funnel),
    enabled: tenantId !== null,
    refetchInterval: live ? FAST_MS : SLOW_MS,
  })
}

export function useCampaignReview(id: string) {
  const tenantId = useTenantId()
  return useQuery({
    queryKey: campaignKeys.review(tenantId, id),
    queryFn: () => api<{ review: CampaignReview }>(`/api/campaigns/${id}/review?sample=${PREVIEW_SAMPLE}`).then((r) => r.review),
    enabled: tenantId !== null,
    // A refresh keeps the last figures on screen instead of flashing a loading state.
    placeholderData: (previous) => previous,
  })
}

export function useRecipients(id: string, filter: RecipientFilter, live: boolean) {
  const tenantId = useTenantId()
  return useInfiniteQuery({
    queryKey: campaignKeys.recipients(tenantId, id, filter),
    queryFn: ({ pageParam }) => {
      const params = recipientParams(filter)
      params.set('limit', String(RECIPIENT_PAGE))
      if (pageParam) params.set('cursor', pageParam)
      return api<RecipientPage>(`/api/campaigns/${id}/recipients?${params}`)
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: tenantId !== null,
    refetchInterval: live ? SLOW_MS : false,
  })
}

/**
 * Refetches a campaign's funnel and recipients when the workspace's messages change (a send, a status
 * from Meta, a customer's reply), at most once a second. Meta's statuses and the replies keep coming
 * after the last send, when the page no longer polls fast: without this the recipients table showed
 * "Queued" beside a funnel of 5/5 read until a reload.
 */
export function useCampaignFollowsMessages(id: string) {
  const tenantId = useTenantId()
  const client = useQueryClient()
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current)
    },
    [],
  )
  useRealtime((signal) => {
    if ((signal.type !== 'messages' && signal.type !== 'resync') || pending.current) return
    pending.current = setTimeout(() => {
      pending.current = null
      void client.invalidateQueries({ queryKey: campaignKeys.funnel(tenantId, id) })
      void client.invalidateQueries({ queryKey: campaignKeys.recipients(tenantId, id) })
    }, FOLLOW_MS)
  })
}

/** Stores a returned campaign and refetches what its change can affect. */
function useStoreCampaign() {
  const tenantId = useTenantId()
  const client = useQueryClient()
  return (campaign: CampaignDetail) => {
    client.setQueryData(campaignKeys.campaign(tenantId, campaign.id), campaign)
    void client.invalidateQueries({ queryKey: campaignKeys.list(tenantId) })
  }
}

export function useCreateCampaign() {
  const store = useStoreCampaign()
  return useMutation({
    mutationFn: (draft: CampaignDraft) => api<{ campaign: CampaignDetail }>('/api/campaigns', { body: draft }).then((r) => r.campaign),
    onSuccess: store,
  })
}

export function usePatchCampaign(id: string) {
  const store = useStoreCampaign()
  return useMutation({
    mutationFn: (patch: Partial<CampaignDraft>) => api<{ campaign: CampaignDetail }>(`/api/campaigns/${id}`, { method: 'PATCH', body: patch }).then((r) => r.campaign),
    onSuccess: store,
  })
}

export function useDeleteCampaign(id: string) {
  const tenantId = useTenantId()
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api<{ ok: true }>(`/api/campaigns/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: campaignKeys.list(tenantId) }),
  })
}

export function useAddToList(id: string) {
  return useMutation({
    mutationFn: (body: { phones?: string[]; contactIds?: string[]; replace?: boolean; defaultCountry?: string }) =>
      api<AudienceListResult>(`/api/campaigns/${id}/audience/list`, { body }),
  })
}

export function useLaunchCampaign(id: string) {
  const store = useStoreCampaign()
  return useMutation({
    mutationFn: (scheduledAt: string | undefined) =>
      api<{ campaign: CampaignDetail }>(`/api/campaigns/${id}/launch`, { body: scheduledAt ? { scheduledAt } : {} }).then((r) => r.campaign),
    onSuccess: store,
  })
}

export function useCampaignAction(id: string) {
  const tenantId = useTenantId()
  const client = useQueryClient()
  const store = useStoreCampaign()
  return useMutation({
    mutationFn: (action: CampaignAction) => api<{ campaign: CampaignDetail }>(`/api/campaigns/${id}/actions`, { body: { action } }).then((r) => r.campaign),
    onSuccess: (campaign) => {
      store(campaign)
      void client.invalidateQueries({ queryKey: campaignKeys.funnel(tenantId, id) })
      void client.invalidateQueries({ queryKey: campaignKeys.recipients(tenantId, id) })
    },
  })
}

export function useRetarget(id: string) {
  const store = useStoreCampaign()
  return useMutation({
    mutationFn: (segment: RetargetSegment) => api<{ campaign: CampaignDetail }>(`/api/campaigns/${id}/retarget`, { body: { segment } }).then((r) => r.campaign),
    onSuccess: store,
  })
}
