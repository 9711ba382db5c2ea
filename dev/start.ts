// `npm run dev`: the whole product on one machine — database (embedded PGlite unless DATABASE_URL is
// set), migrations, demo data, the stand-ins, the worker and the Next.js app — then prints how to sign in.
// `--prod` serves a `next build` with `next start` (CI's end-to-end tests) instead of `next dev`.
import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { createDb } from '@/server/db/create-db'
import { migrate } from '@/server/db/migrate'
import { DEFAULT_GRAPH_VERSION } from '@/server/config'
import { registerMaintenanceSchedules } from '@/server/qstash/maintenance-schedules'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { startEmbeddedPostgres } from './embedded-postgres'
import { loadLocalSecrets } from './local-secrets'
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo, syncDemoTemplates } from './seed-demo'
import { IDLE_CONNECTION_MS } from './keep-alive'
import { markRunning, STACK_ENV, stopLeftoverServices } from './leftover-services'

const started = Date.now()
const prod = process.argv.includes('--prod')
const port = Number(process.env.PORT ?? 3000)
const dataDir = path.resolve(process.env.CONVERSA_DATA_DIR ?? '.data')
const children: ChildProcess[] = []
let stopEmbedded: (() => Promise<void>) | undefined
let clearRunningMark: (() => Promise<void>) | undefined

const say = (line: string) => console.log(`[stack] ${line}`)

async function main() {
  const leftovers = await stopLeftoverServices(dataDir)
  if (leftovers) say(`stopped ${leftovers} processes an earlier run on ${path.relative(process.cwd(), dataDir) || '.'} left behind`)
  const running = await markRunning(dataDir)
  clearRunningMark = running.clear
  // A `next dev` killed mid-write, or started beside a leftover one, can leave Turbopack's persistent
  // cache inconsistent: open pages then reload themselves several times a second. After an unclean
  // stop the first build starts from scratch instead.
  if (!prod && (leftovers || running.leftBefore)) {
    await rm(path.resolve('.next/dev/cache'), { recursive: true, force: true })
    say('the last run did not stop cleanly: starting with an empty dev build cache')
  }
  const secrets = await loadLocalSecrets(dataDir)
  let databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pglite'), Number(process.env.EMBEDDED_PG_PORT ?? 54329))
    stopEmbedded = embedded.stop
    databaseUrl = embedded.url
    say(`embedded Postgres (PGlite) at ${databaseUrl}, data in ${path.relative(process.cwd(), dataDir)}/pglite`)
  }
  const env: NodeJS.ProcessEnv = {
    AUTH_PROVIDER: 'local',
    NEXT_TELEMETRY_DISABLED: '1',
    APP_URL: `http://localhost:${port}`,
    ...secrets,
    META_GRAPH_BASE_URL: `http://127.0.0.1:${process.env.META_EMULATOR_PORT ?? 4010}`,
    META_EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${port}/api/whatsapp/webhook`,
    QSTASH_URL: `http://127.0.0.1:${process.env.QSTASH_PORT || 4040}`,
    STORAGE_DIR: path.join(dataDir, 'media'),
    // QUEUE_DRIVER=upstash runs the send engine on the local Redis through the Upstash REST bridge.
    ...(process.env.QUEUE_DRIVER === 'upstash'
      ? { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${process.env.UPSTASH_BRIDGE_PORT || 4030}`, UPSTASH_REDIS_REST_TOKEN: 'local-upstash-token' }
      : {}),
    ...process.env,
    DATABASE_URL: databaseUrl,
    ...(stopEmbedded ? { DB_PREPARED_STATEMENTS: 'off' } : {}),
    PORT: String(port),
  }

  const db = createDb(databaseUrl, { max: 1, prepare: !stopEmbedded })
  let seeded = false
  try {
    const applied = await migrate(db.sql)
    say(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date')
    seeded = await seedDemo(db, env.ENCRYPTION_KEY!)
    if (seeded) say('seeded the demo workspace')
  } finally {
    await db.end()
  }

  run('stand-ins', ['tsx', 'dev/stand-ins.ts'], env)
  // A crashed worker is restarted, as a process manager would do in production: the app keeps serving
  // and the send engine returns the dead worker's jobs to the queue. Any other child exiting stops the stack.
  run('worker', ['tsx', 'worker/main.ts'], env, { restart: true })
  run('app', ['next', ...(prod ? ['start', '--keepAliveTimeout', String(IDLE_CONNECTION_MS)] : ['dev']), '--port', String(port)], env)
  await waitForHealth(`http://127.0.0.1:${port}/api/health`)
  if (seeded) await syncTemplatesOnce(databaseUrl, env)
  // As in production: QStash calls the stuck-job recovery route every minute, signed.
  await registerMaintenanceSchedules({ qstashUrl: env.QSTASH_URL!, token: env.QSTASH_TOKEN!, appUrl: env.APP_URL! })

  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`
  Conversa is ready in ${seconds}s → http://localhost:${port}
  Sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD} (owner of "Demo Coffee Co.", platform admin)
  Press Ctrl+C to stop.
`)
}

/** A fresh demo workspace gets its templates from the Meta emulator, as pressing Sync would. */
async function syncTemplatesOnce(databaseUrl: string, env: NodeJS.ProcessEnv) {
  const db = createDb(databaseUrl, { max: 1, prepare: !stopEmbedded })
  try {
    const graph = createGraphClient({ baseUrl: env.META_GRAPH_BASE_URL!, version: env.META_GRAPH_VERSION ?? DEFAULT_GRAPH_VERSION })
    say(`synced ${await syncDemoTemplates(db, { graph, encryptionKey: env.ENCRYPTION_KEY! })} demo templates from the Meta emulator`)
  } catch (error) {
    say(`could not sync the demo templates (the Templates page's Sync button can): ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await db.end()
  }
}

/** A child that dies this soon after starting is broken (bad config, a syntax error): restarting would only loop. */
const RESTART_MIN_UPTIME_MS = 10_000

function run(name: string, command: string[], env: NodeJS.ProcessEnv, options: { restart?: boolean } = {}) {
  const startedAt = Date.now()
  const child = spawn(path.resolve('node_modules/.bin', command[0]!), command.slice(1), {
    env: { ...env, CONVERSA_SERVICE: name, [STACK_ENV]: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => console.log(`[${name}] ${line}`))
  child.stdout!.on('data', prefix)
  child.stderr!.on('data', prefix)
  child.on('exit', (code, signal) => {
    if (shuttingDown) return
    children.splice(children.indexOf(child), 1)
    if (options.restart && Date.now() - startedAt >= RESTART_MIN_UPTIME_MS) {
      say(`${name} exited (${signal ?? code}); starting it again`)
      run(name, command, env, options)
      return
    }
    say(`${name} exited (${signal ?? code}); stopping everything`)
    void shutdown(1)
  })
  children.push(child)
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`the app did not become healthy at ${url}`)
}

let shuttingDown = false
async function shutdown(code: number) {
  if (shuttingDown) return
  shuttingDown = true
  for (const child of children) child.kill('SIGTERM')
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)))
  await stopEmbedded?.()
  await clearRunningMark?.()
  process.exit(code)
}

process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))
main().catch((error) => {
  console.error('[stack] failed to start:', error)
  void shutdown(1)
})
