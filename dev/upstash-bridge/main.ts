// `tsx dev/upstash-bridge/main.ts`: the Upstash REST bridge on its own, configured from the environment
// (UPSTASH_BRIDGE_PORT, UPSTASH_BRIDGE_REDIS_URL, UPSTASH_REDIS_REST_TOKEN).
import { startUpstashBridge } from './server'

const bridge = await startUpstashBridge({
  port: Number(process.env.UPSTASH_BRIDGE_PORT || 4030),
  redisUrl: process.env.UPSTASH_BRIDGE_REDIS_URL || 'redis://127.0.0.1:6379',
  token: process.env.UPSTASH_REDIS_REST_TOKEN || 'local-upstash-token',
  log: (line) => console.log(line),
})
console.log(`upstash-bridge listening on ${bridge.url}`)

process.on('SIGTERM', () => void bridge.stop().then(() => process.exit(0)))
process.on('SIGINT', () => void bridge.stop().then(() => process.exit(0)))
