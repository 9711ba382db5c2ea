// `npm run qstash:schedules`: registers the maintenance schedules with QStash for the deployment at
// APP_URL (run once per deploy; it is idempotent).
import { config } from '@/server/config'
import { registerMaintenanceSchedules } from './maintenance-schedules'

const c = config()
if (!c.QSTASH_TOKEN) throw new Error('QSTASH_TOKEN is not set')
const ids = await registerMaintenanceSchedules({ qstashUrl: c.QSTASH_URL, token: c.QSTASH_TOKEN, appUrl: c.APP_URL })
console.log(`registered ${ids.join(', ')} with ${c.QSTASH_URL} for ${c.APP_URL}`)
