// Response shapes of the API as the browser sees them (dates arrive as ISO strings).
import type { Role } from '@/core/tenancy/roles'

export interface SessionResponse {
  user: { id: string; email: string; fullName: string | null; platformAdmin: boolean }
  tenants: { id: string; name: string; role: Role }[]
  activeTenantId: string | null
}

export interface MembersResponse {
  myRole: Role
  members: { userId: string; email: string; fullName: string | null; role: Role; joinedAt: string }[]
  invitations: { id: string; email: string; role: Role; expiresAt: string }[]
}

export interface AdminTenantsResponse {
  tenants: { id: string; name: string; plan: string; status: string; timezone: string; createdAt: string }[]
}

export type { QueueStats as QueueDepth } from '@/core/sending/job-queue'
export type { NumberQueueStats, QueueReport as QueueStatsResponse } from '@/core/sending/queue-report'
