// The whole product for a benchmark: the launcher (production build when there is one) on a fresh
// database of the local PostgreSQL server, with its own data directory and port. Stopped on success,
// failure, Ctrl+C or SIGTERM alike, with every process it started.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { constants } from 'node:os'
import { createDb } from '@/server/db/create-db'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../../integration/support/assert-local-database'
import { DEMO } from '../../e2e/support/accounts'
import { procStat, processTree } from './proc'

// What a benchmark has started and not yet stopped, as the functions that stop it. On SIGINT (Ctrl+C)
// or SIGTERM they all run and are awaited before the benchmark exits: an interrupted run leaves no
// stack behind holding its ports and database.
const running = new Set<() => Promise<void>>()
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    // A second Ctrl+C while stopping must not cut the stop short; each stop gives up on its own.
    if (interrupted) return
    interrupted = true
    console.error(`\n${signal}: stopping what the benchmark started …`)
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(128 + constants.signals[signal]))
  })

/** Has `stop` run if the benchmark is interrupted; the returned function forgets it again. */
export function stopOnSignal(stop: () => Promise<void>): () => void {
  running.add(stop)
  return () => {
    running.delete(stop)
  }
}

const until = async (done: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100))
}

/**
 * Sends SIGTERM to a child process and resolves once it, and every process it had started, is gone. A
 * child still running after `graceMs` is killed, and so is any descendant it left behind: an orphan
 * would outlive the benchmark.
 */
async function stopProcessTree(child: ChildProcess, graceMs: number) {
  const tree = child.pid === undefined ? [] : processTree(child.pid)
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(kill)
  }
  // The same pid and start time: not a newer process that was given a freed pid.
  const left = () =>
    tree.filter((p) => {
      const now = procStat(p.pid)
      return now !== null && now.startTime === p.startTime && now.state !== 'Z'
    })
  // Descendants get a moment to finish their own shutdown once their parent has gone.
  await until(() => left().length === 0, 5_000)
  for (const p of left()) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      // exited meanwhile
    }
  }
  await until(() => left().length === 0, 5_000)
  if (left().length) console.error(`still running after SIGKILL: ${left().map((p) => p.pid).join(', ')}`)
}

/**
 * The stop of a child process the benchmark started: run by the benchmark when done, or by the signal
 * handler, whichever asks first; both wait for the same stop.
 */
export function stoppable(child: ChildProcess, graceMs: number): () => Promise<void> {
  let stopped: Promise<void> | undefined
  const stop = () => (stopped ??= stopProcessTree(child, graceMs).finally(forget))
  const forget = stopOnSignal(stop)
  return stop
}

export interface BenchStack {
  child: ChildProcess
  databaseUrl: string
  /** The stack's Upstash stand-in when its queue and pacer run on Upstash (QUEUE_DRIVER=upstash), else null. */
  upstashUrl: string | null
  /** Stops the launcher (which stops its services) and resolves once all their processes have exited. */
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
  const upstashPort = args.port + 1030
  const child = spawn('node_modules/.bin/tsx', ['dev/start.ts', ...(existsSync('.next/BUILD_ID') ? ['--prod'] : [])], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CONVERSA_DATA_DIR: args.dataDir,
      PORT: String(args.port),
      // Stand-ins of their own, so a benchmark can run beside another stack.
      META_EMULATOR_PORT: String(args.port + 1000),
      UPSTASH_BRIDGE_PORT: String(upstashPort),
      QSTASH_PORT: String(args.port + 1040),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  // The launcher stops its services and exits; one stuck past 20 s is killed rather than left behind.
  const stop = stoppable(child, 20_000)
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    if (await fetch(`http://127.0.0.1:${args.port}/api/health`).then((r) => r.ok, () => false))
      return { child, databaseUrl, upstashUrl: process.env.QUEUE_DRIVER === 'upstash' ? `http://127.0.0.1:${upstashPort}` : null, stop }
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
  const node = realpathSync(process.execPath)
  // Node processes only: tsx's esbuild service, a child of the worker, inherits its environment too.
  const runs = (pid: number) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === node && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`CONVERSA_SERVICE=${service}`)
    } catch {
      return false
    }
  }
  const matching = processTree(stack.child.pid!).filter((p) => runs(p.pid))
  return matching.find((p) => !matching.some((other) => other.ppid === p.pid))?.pid ?? null
}

/** Signs the demo owner in through the API; the cookie header to send with later requests. */
export async function signIn(base: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(DEMO) })
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`)
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
}
