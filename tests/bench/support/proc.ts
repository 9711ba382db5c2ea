// The machine's processes as Linux shows them in /proc: who is whose child, and the CPU each has used.
import { execSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second: the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execSync('getconf CLK_TCK').toString().trim())

export interface ProcStat {
  pid: number
  ppid: number
  /** Z for a zombie: it has exited and only waits for its parent to collect it. */
  state: string
  /** utime + stime: CPU used by the process itself. */
  ownTicks: number
  /** cutime + cstime: CPU of its children that have exited and been waited for. */
  exitedChildTicks: number
  /** Ticks after boot when it started: with the pid, it tells a process from a later one given the same pid. */
  startTime: number
}

export function procStat(pid: number): ProcStat | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null // exited
  }
  // The command name, in parentheses, may itself hold spaces and parentheses: fields follow the last `) `.
  const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ')
  const field = fields.map(Number)
  return {
    pid,
    ppid: field[1]!,
    state: fields[0]!,
    ownTicks: field[11]! + field[12]!,
    exitedChildTicks: field[13]! + field[14]!,
    startTime: field[19]!,
  }
}

/** Every live process on the machine. */
function processTable(): ProcStat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat) => stat !== null)
}

/** A process and its live descendants, the process first; empty once it has exited. */
export function processTree(root: number): ProcStat[] {
  const table = processTable()
  const tree = table.filter((p) => p.pid === root)
  for (let i = 0; i < tree.length; i++) tree.push(...table.filter((p) => p.ppid === tree[i]!.pid))
  return tree
}

/**
 * CPU ms a process and everything it started have used so far, or null once it has exited: every live
 * process's own time plus that of its exited children, which the kernel adds to the parent that
 * collected them, so a short-lived child's work is not lost.
 */
export function treeCpuMs(root: number): number | null {
  const tree = processTree(root)
  if (!tree.length) return null
  return (tree.reduce((sum, p) => sum + p.ownTicks + p.exitedChildTicks, 0) * 1000) / CLOCK_TICKS
}
