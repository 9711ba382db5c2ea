import { tenantRoute } from '@/server/http/route'
import { openEventStream } from '@/server/realtime/event-stream'

export const dynamic = 'force-dynamic'
// On Vercel a function streams for at most this long; the browser then reconnects on its own.
export const maxDuration = 300

export const GET = tenantRoute({}, async ({ tenant, claims, req }) =>
  openEventStream({ tenantId: tenant.id, sessionExpiresAt: new Date(claims.exp * 1000), signal: req.signal }),
)
