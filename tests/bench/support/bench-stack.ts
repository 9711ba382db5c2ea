// The whole product for a benchmark: the launcher (production build when there is one) on a fresh
// database of the local PostgreSQL server, with its own data directory and port.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createDb } from '@/server/db/create-db'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../../integration/support/assert-local-database'
import { DEMO } from '../../e2e/support/accounts'

export interface BenchStack {
  child: ChildProcess
  databaseUrl: string
  /** Stops the launcher (which stops its services) and resolves once it has exited. */
  stop(): Promise<void>
}

export async function startBenchStack(args: { database: string; dataDir: string; port: number }): Promise<BenchStack> {
  const base = testDatabaseUrl()
  assertLocalDatabase(base)
  const admin = createDb(base, { max: 1 })
  await admin.sql.unsafe(`drop database if exists ${args.database} with (force)`)
  await admin.sql.unsafe(`create database ${args.database}`)
  await admin.end()
  await rm(args.dataDir, { recursive: true, force: true })
  const databaseUrl = withDatabase(base, args.database)
  const child = spawn('node_modules/.bin/tsx', ['dev/start.ts', ...(existsSync('.next/BUILD_ID') ? ['--prod'] : [])], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CONVERSA_DATA_DIR: args.dataDir,
      PORT: String(args.port),
      // Stand-ins of their own, so a benchmark can run beside another stack.
      META_EMULATOR_PORT: String(args.port + 1000),
      UPSTASH_BRIDGE_PORT: String(args.port + 1030),
      QSTASH_PORT: String(args.port + 1040),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    // The launcher stops its services and exits; one stuck past this is killed rather than left behind.
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(kill)
  }
  for (let i = 0; i < 600; i++) {
    if (await fetch(`http://127.0.0.1:${args.port}/api/health`).then((r) => r.ok, () => false)) return { child, databaseUrl, stop }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error('the stack did not start')
}

/**
 * The pid of the process running one of the launcher's services (`worker`, `app`, `stand-ins`), or null.
 * The launcher starts each through the tsx CLI, which runs the script in a child node process: the
 * deepest process of the stack's tree carrying the service's name is the one doing the work.
 */
export function servicePid(stack: BenchStack, service: string): number | null {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      parentOf.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]))
    } catch {
      // exited while we looked
    }
  }
  const node = realpathSync(process.execPath)
  const inStack = (pid: number): boolean => pid === stack.child.pid || (parentOf.has(pid) && pid > 1 && inStack(parentOf.get(pid)!))
  // Node processes only: tsx's esbuild service, a child of the worker, inherits its environment too.
  const runs = (pid: number) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === node && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`CONVERSA_SERVICE=${service}`)
    } catch {
      return false
    }
  }
  const matching = [...parentOf.keys()].filter((pid) => inStack(pid) && runs(pid))
  return matching.find((pid) => !matching.some((other) => parentOf.get(other) === pid)) ?? null
}

/** Signs the demo owner in through the API; the cookie header to send with later requests. */
export async function signIn(base: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(DEMO) })
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`)
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
}
