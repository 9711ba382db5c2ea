// The dashboard's response (GET /api/dashboard) and its query key.
export type { Dashboard as DashboardResponse, DashboardNumber } from '@/core/dashboard/read-dashboard'

export const dashboardKeys = {
  all: (tenantId: string | null) => ['dashboard', tenantId] as const,
}
