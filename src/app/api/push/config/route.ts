// The public VAPID key browsers subscribe with; null when this deployment sends no web push.
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'

export const GET = tenantRoute({}, async () => ({ publicKey: config().VAPID_PRIVATE_KEY ? (config().VAPID_PUBLIC_KEY ?? null) : null }))
