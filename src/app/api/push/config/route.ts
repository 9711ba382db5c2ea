// The public VAPID key browsers subscribe with; null when this deployment sends no web push.
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'
import { pushSettings } from '@/server/push/notify-assignees'

export const GET = tenantRoute({}, async () => ({ publicKey: pushSettings(config())?.publicKey ?? null }))
