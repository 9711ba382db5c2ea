// Finds flaky tests: runs one test project N times (optionally with every core kept busy by a CPU hog)
// and prints how often each test passed and failed, with the first line of each distinct failure.
//
//   npm run test:stress -- --project integration --runs 5 --hog
//   npm run test:stress -- --project browser --runs 3 --hog --grep campaigns
//   npm run test:stress -- --project integration --runs 10 tests/integration/crm.test.ts   (only these files)
//   npm run test:stress -- --project integration --runs 3 --shuffle   (tests in a random order: finds
//                                                                      tests that lean on another's data)
//
// Projects: unit, integration, security, load (vitest) and browser (Playwright; serves the production build when
// `.next/BUILD_ID` exists, as CI does). Not part of `npm test`: a run of the browser project takes minutes.
import { spawn, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { collectPlaywright, collectVitest, type Outcome } from './collect-results'

const { values, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    project: { type: 'string', default: 'integration' },
    runs: { type: 'string', default: '5' },
    hog: { type: 'boolean', default: false },
    'hog-processes': { type: 'string' },
    grep: { type: 'string' },
    shuffle: { type: 'boolean', default: false },
  },
})
const project = values.project!
if (!['unit', 'integration', 'security', 'load', 'browser'].includes(project)) throw new Error(`unknown project ${project}: unit, integration, security, load or browser`)
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number')
if (values.shuffle && project === 'browser') throw new Error('--shuffle is for the vitest projects')

/** One busy-looping node process per core, as `stress-ng --cpu N` would, without needing it installed. */
function startHog(processes: number): ChildProcess[] {
  return Array.from({ length: processes }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
}
async function stopAll(children: ChildProcess[]) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGKILL')
        }),
    ),
  )
}

/** Runs the project once with a JSON reporter into `file` (in the order `seed` gives, when shuffling); resolves with the exit code. */
function runOnce(file: string, seed: number): Promise<number> {
  const bin = (name: string) => path.join('node_modules', '.bin', name)
  const [command, args, env] =
    project === 'browser'
      ? [bin('playwright'), ['test', '--reporter=list,json', ...(values.grep ? ['--grep', values.grep] : []), ...files], { PLAYWRIGHT_JSON_OUTPUT_NAME: file }]
      : [bin('vitest'), ['run', '--project', project, ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, ...(values.grep ? ['-t', values.grep] : []), ...(values.shuffle ? ['--sequence.shuffle.tests', `--sequence.seed=${seed}`] : [])], {}]
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)))
}

const tally = new Map<string, { passed: number; failed: number; failures: Map<string, number> }>()
function count(outcomes: Outcome[]) {
  for (const o of outcomes) {
    const entry = tally.get(o.name) ?? { passed: 0, failed: 0, failures: new Map() }
    tally.set(o.name, entry)
    if (o.passed) entry.passed++
    else {
      entry.failed++
      const reason = (o.error ?? 'no message').split('\n').find((l) => l.trim()) ?? 'no message'
      entry.failures.set(reason, (entry.failures.get(reason) ?? 0) + 1)
    }
  }
}

const hog = values.hog ? startHog(Number(values['hog-processes'] ?? availableParallelism())) : []
const dir = await mkdtemp(path.join(tmpdir(), 'conversa-stress-'))
const stopOnSignal = () => void stopAll(hog).then(() => process.exit(130))
process.once('SIGINT', stopOnSignal)
process.once('SIGTERM', stopOnSignal)
const runResults: { run: number; seed?: number; exitCode: number; seconds: number }[] = []
try {
  for (let run = 1; run <= runs; run++) {
    console.log(`\n── stress run ${run}/${runs}: ${project}${values.hog ? ` with ${hog.length} busy processes` : ''} ──`)
    const file = path.join(dir, `run-${run}.json`)
    const started = Date.now()
    // Printed with the results, so a failing order can be replayed with --sequence.seed.
    const seed = Math.floor(Math.random() * 1_000_000)
    const exitCode = await runOnce(file, seed)
    runResults.push({ run, ...(values.shuffle ? { seed } : {}), exitCode, seconds: Math.round((Date.now() - started) / 1000) })
    const report = JSON.parse(await readFile(file, 'utf8').catch(() => 'null'))
    if (!report) console.log(`run ${run} wrote no report (exit ${exitCode})`)
    else count(project === 'browser' ? collectPlaywright(report) : collectVitest(report))
  }
} finally {
  await stopAll(hog)
  await rm(dir, { recursive: true, force: true })
}

console.log(`\n${project}: ${runs} run(s)${values.hog ? ' under the CPU hog' : ''}`)
console.table(runResults)
const flaky = [...tally].filter(([, t]) => t.failed > 0)
console.log(`${tally.size} tests, ${flaky.length} failed at least once`)
for (const [name, t] of flaky.sort((a, b) => b[1].failed - a[1].failed)) {
  console.log(`\n✘ ${name}: passed ${t.passed}, failed ${t.failed}`)
  for (const [reason, n] of t.failures) console.log(`    ${n}× ${reason.slice(0, 300)}`)
}
process.exitCode = flaky.length || runResults.some((r) => r.exitCode !== 0) ? 1 : 0
