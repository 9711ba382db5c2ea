// The local stand-ins for the hosted services Conversa cannot reach offline: the Meta emulator (Graph API
// and signed webhooks), the Upstash REST bridge (over the local Redis, used when QUEUE_DRIVER=upstash)
// and QStash (schedules and delayed messages, delivered signed to the app).
import { metaEmulatorOptionsFromEnv } from './meta-emulator/env-options'
import { startMetaEmulator } from './meta-emulator/server'
import { startQstashStandIn } from './qstash/server'
import { startUpstashBridge } from './upstash-bridge/server'

const meta = await startMetaEmulator({ ...metaEmulatorOptionsFromEnv(), log: (line) => console.log(line) })
console.log(`meta-emulator listening on ${meta.url} (webhooks to ${meta.state.config.webhookUrl})`)

const bridge = await startUpstashBridge({
  port: Number(process.env.UPSTASH_BRIDGE_PORT || 4030),
  redisUrl: process.env.UPSTASH_BRIDGE_REDIS_URL || 'redis://127.0.0.1:6379',
  token: process.env.UPSTASH_REDIS_REST_TOKEN || 'local-upstash-token',
})
console.log(`upstash-bridge listening on ${bridge.url}`)

const qstash = await startQstashStandIn({
  port: Number(new URL(process.env.QSTASH_URL ?? 'http://127.0.0.1:4040').port),
  token: process.env.QSTASH_TOKEN!,
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
  log: (line) => console.log(line),
})
console.log(`qstash listening on ${qstash.url}`)

process.on('SIGTERM', () => void Promise.all([meta.stop(), bridge.stop(), qstash.stop()]).then(() => process.exit(0)))
