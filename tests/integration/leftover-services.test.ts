import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { leftoverServices, markRunning, STACK_ENV, stopLeftoverServices } from '../../dev/leftover-services'

const started: ChildProcess[] = []
const dirs: string[] = []

/** A process as a launcher's service would be, carrying its stack's data directory; `stubborn` ignores SIGTERM. */
async function service(dataDir: string, stubborn = false) {
  const code = `${stubborn ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('up')`
  const child = spawn(process.execPath, ['-e', code], { env: { ...process.env, [STACK_ENV]: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] })
  started.push(child)
  await once(child.stdout!, 'data')
  return child
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit'))

afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

describe("an earlier stack's leftover services", () => {
  it('are stopped before a launcher starts on the same data directory, the stubborn ones killed', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'conversa-stack-'))
    const otherDir = await mkdtemp(path.join(tmpdir(), 'conversa-stack-'))
    dirs.push(dataDir, otherDir)
    const polite = await service(dataDir)
    const stubborn = await service(dataDir, true)
    const neighbour = await service(otherDir)

    expect(leftoverServices(dataDir).sort()).toEqual([polite.pid, stubborn.pid].sort())
    expect(await stopLeftoverServices(dataDir, 500)).toBe(2)
    await Promise.all([exited(polite), exited(stubborn)])
    expect(polite.signalCode).toBe('SIGTERM')
    expect(stubborn.signalCode).toBe('SIGKILL')
    // Another stack's services are not touched.
    expect(neighbour.exitCode).toBeNull()
    expect(neighbour.signalCode).toBeNull()
    expect(leftoverServices(otherDir)).toEqual([neighbour.pid])
    expect(await stopLeftoverServices(dataDir, 500)).toBe(0)
  })

  it('tells a launcher whether the last run on its data directory stopped cleanly', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'conversa-stack-'))
    dirs.push(dataDir)
    const first = await markRunning(dataDir)
    expect(first.leftBefore).toBe(false)
    await first.clear()
    const afterCleanStop = await markRunning(dataDir)
    expect(afterCleanStop.leftBefore).toBe(false)
    // This run dies without clearing its mark.
    const afterCrash = await markRunning(dataDir)
    expect(afterCrash.leftBefore).toBe(true)
  })
})
