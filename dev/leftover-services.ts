// A launcher that dies without stopping its services (SIGKILL, a closed terminal, a crashed editor)
// leaves them running: they keep their ports, reconnect to the next run's embedded database on the
// same port, and a second `next dev` then shares `.next/dev` with the first, whose rebuilds make open
// pages reload several times a second. So every process of a stack carries its data directory in
// CONVERSA_STACK, and a launcher starting on that directory first stops whatever still carries it.
// Linux only (it reads /proc); elsewhere nothing is found and the ports in use say what to stop.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const STACK_ENV = 'CONVERSA_STACK'

/** The pids of processes (other than this one) started by a stack on `dataDir`. */
export function leftoverServices(dataDir: string): number[] {
  const marker = `${STACK_ENV}=${dataDir}`
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  return entries
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)
      } catch {
        return false // exited meanwhile, or not ours to read
      }
    })
    .map(Number)
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops an earlier stack's leftover processes: SIGTERM, then SIGKILL for those alive after `graceMs`. Answers how many there were. */
export async function stopLeftoverServices(dataDir: string, graceMs = 5_000): Promise<number> {
  const pids = leftoverServices(dataDir)
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name)
    } catch {
      // already gone
    }
  }
  pids.forEach((pid) => signal(pid, 'SIGTERM'))
  // A service whose database vanished with the dead launcher may never finish a graceful stop.
  for (const deadline = Date.now() + graceMs; pids.some(alive) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100))
  pids.filter(alive).forEach((pid) => signal(pid, 'SIGKILL'))
  return pids.length
}

/**
 * Marks `dataDir` as in use by a running stack until `clear()`, called once its services have stopped.
 * `leftBefore` says an earlier run's mark was still there: that run never stopped cleanly.
 */
export async function markRunning(dataDir: string) {
  const mark = path.join(dataDir, 'stack.running')
  const leftBefore = await stat(mark).then(
    () => true,
    () => false,
  )
  await mkdir(dataDir, { recursive: true })
  await writeFile(mark, String(process.pid))
  return { leftBefore, clear: () => rm(mark, { force: true }) }
}
