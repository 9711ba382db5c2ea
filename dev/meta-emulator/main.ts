// `tsx dev/meta-emulator/main.ts`: the Meta emulator on its own, configured from the environment
// (META_EMULATOR_PORT, META_EMULATOR_WEBHOOK_URL, META_APP_SECRET, META_EMULATOR_NUMBERS …).
import { metaEmulatorOptionsFromEnv } from './env-options'
import { startMetaEmulator } from './server'

const options = metaEmulatorOptionsFromEnv()
const emulator = await startMetaEmulator({ ...options, log: (line) => console.log(line) })
console.log(
  `meta-emulator listening on ${emulator.url} (${emulator.state.numbers.size} numbers, webhooks to ${emulator.state.config.webhookUrl})`,
)

process.on('SIGTERM', () => void emulator.stop().then(() => process.exit(0)))
process.on('SIGINT', () => void emulator.stop().then(() => process.exit(0)))
