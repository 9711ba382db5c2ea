// The local stand-ins for the hosted services Conversa cannot reach offline: the Meta emulator (Graph API
// and signed webhooks) and the Upstash REST bridge (over the local Redis, used when QUEUE_DRIVER=upstash).
// QStash has no stand-in yet: nothing publishes to it so far.
import { metaEmulatorOptionsFromEnv } from './meta-emulator/env-options'
import { startMetaEmulator } from './meta-emulator/server'
import { startUpstashBridge } from './upstash-bridge/server'

const meta = await startMetaEmulator({ ...metaEmulatorOptionsFromEnv(), log: (line) => console.log(line) })
console.log(`meta-emulator listening on ${meta.url} (webhooks to ${meta.state.config.webhookUrl})`)

const bridge = await startUpstashBridge({
  port: Number(process.env.UPSTASH_BRIDGE_PORT || 4030),
  redisUrl: process.env.UPSTASH_BRIDGE_REDIS_URL || 'redis://127.0.0.1:6379',
  token: process.env.UPSTASH_REDIS_REST_TOKEN || 'local-upstash-token',
})
console.log(`upstash-bridge listening on ${bridge.url}`)

process.on('SIGTERM', () => void Promise.all([meta.stop(), bridge.stop()]).then(() => process.exit(0)))
