// Emulator options from environment variables, shared by `main.ts` and `dev/stand-ins.ts` so both start
// the same emulator. By default it knows the demo number that `dev/seed-demo.ts` creates.
import { z } from 'zod'
import { numberSchema } from './control-api'
import { STATUS_BATCHING_MODES, type MetaEmulatorOptions, type NumberInput, type StatusBatching } from './emulator-state'

export const DEMO_NUMBER: NumberInput = {
  phoneNumberId: '106540352242922',
  wabaId: '104857293847561',
  accessToken: 'demo-access-token',
  displayPhoneNumber: '+1 555-010-0001',
  verifiedName: 'Demo Coffee Co.',
}

const optionalNumber = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value))

function statusBatching(value: string | undefined): StatusBatching | undefined {
  if (value === undefined || value === '') return undefined
  const parsed = z.enum(STATUS_BATCHING_MODES).safeParse(value)
  if (!parsed.success) throw new Error(`META_EMULATOR_STATUS_BATCHING must be one of ${STATUS_BATCHING_MODES.join(', ')}, not '${value}'`)
  return parsed.data
}

export function metaEmulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MetaEmulatorOptions {
  let numbers = [DEMO_NUMBER]
  if (env.META_EMULATOR_NUMBERS) {
    const parsed = z.array(numberSchema).safeParse(JSON.parse(env.META_EMULATOR_NUMBERS))
    if (!parsed.success) throw new Error(`META_EMULATOR_NUMBERS is not a valid list of numbers: ${parsed.error.message}`)
    numbers = parsed.data
  }
  return {
    port: Number(env.META_EMULATOR_PORT ?? 4010),
    host: env.META_EMULATOR_HOST ?? '127.0.0.1',
    webhookUrl: env.META_EMULATOR_WEBHOOK_URL || `http://127.0.0.1:${env.PORT ?? 3000}/api/whatsapp/webhook`,
    appSecret: env.META_APP_SECRET || 'local-meta-app-secret',
    numbers,
    seed: optionalNumber(env.META_EMULATOR_SEED),
    autoRead: env.META_EMULATOR_AUTO_READ === undefined ? undefined : env.META_EMULATOR_AUTO_READ !== 'false',
    statusBatching: statusBatching(env.META_EMULATOR_STATUS_BATCHING),
  }
}
