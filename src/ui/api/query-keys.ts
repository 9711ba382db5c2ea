// One key factory per resource, so mutations invalidate exactly what they changed.
export const queryKeys = {
  session: () => ['session'] as const,
  members: (tenantId: string | null) => ['members', tenantId] as const,
  adminTenants: () => ['admin', 'tenants'] as const,
  queueStats: () => ['admin', 'queue-stats'] as const,
}
