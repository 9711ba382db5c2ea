// The e2e stack's worker as operating-system processes: found by their environment (the e2e database),
// killed without warning as a crash would, and a replacement started with the same environment.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { E2E_DATABASE_URL } from './campaigns'

interface WorkerProcess {
  pid: number
  ppid: number
  env: Record<string, string>
}

function readEnv(pid: number): Record<string, string> | null {
  try {
    const raw = readFileSync(`/proc/${pid}/environ`, 'utf8')
    return Object.fromEntries(raw.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  } catch {
    return null // gone meanwhile
  }
}

/** The worker processes running against the e2e database (tsx and the node process it starts), except `exclude` and its children. */
export function stackWorkers(exclude: number[] = []): WorkerProcess[] {
  let out = ''
  try {
    out = execFileSync('pgrep', ['-f', 'worker/main.ts'], { encoding: 'utf8' })
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .flatMap((pid) => {
      const env = readEnv(pid)
      if (env?.DATABASE_URL !== E2E_DATABASE_URL) return []
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])
      return exclude.includes(pid) || exclude.includes(ppid) ? [] : [{ pid, ppid, env }]
    })
}

/**
 * SIGKILLs the stack's worker, the node process first (killing only tsx would orphan it), and answers
 * the environment the launcher gave it.
 */
export function killStackWorker(exclude: number[] = []) {
  const workers = stackWorkers(exclude)
  if (!workers.length) throw new Error('no worker of the e2e stack is running')
  const pids = new Set(workers.map((w) => w.pid))
  const launched = workers.find((w) => !pids.has(w.ppid))!
  const leaves = workers.filter((w) => !workers.some((o) => o.ppid === w.pid))
  for (const w of [...leaves, ...workers.filter((w) => !leaves.includes(w))]) {
    try {
      process.kill(w.pid, 'SIGKILL')
    } catch {
      // already gone with its child
    }
  }
  return launched.env
}

/** Starts a worker in its own process group, so stopping it reaches tsx and the node process alike. */
export function startWorker(env: Record<string, string>) {
  const child = spawn('node_modules/.bin/tsx', ['worker/main.ts'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const lines: string[] = []
  const keep = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pid: child.pid!,
    output: () => lines.slice(-50).join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      process.kill(-child.pid!, 'SIGTERM')
      const timeout = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000)
      await exited
      clearTimeout(timeout)
    },
  }
}
