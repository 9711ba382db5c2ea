// `npm run bench:import`: a CSV of BENCH_ROWS contacts (100,000 by default) imported through the
// contacts page in headless Chromium, as a user would. Prints the wall time, rows per second and how
// long the page's main thread was ever blocked (the longest task, and all tasks over 50 ms summed), the
// measure of "the page never freezes". Starts its own stack unless BENCH_URL is set.
import { randomInt } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { DEMO } from '../e2e/support/accounts'
import { startBenchStack, stopOnSignal } from './support/bench-stack'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const PORT = Number(process.env.BENCH_PORT ?? 3220)

function csv(rows: number) {
  const base = randomInt(2_000_000, 7_000_000)
  const lines = ['phone,name,email,tags,city']
  for (let i = 0; i < rows; i++) {
    const n = String(base + i).padStart(7, '0')
    // One row in a thousand is bad, so the report has work to do too.
    const phone = i % 1000 === 999 ? '12345' : `+1 628 ${n.slice(0, 3)} ${n.slice(3)}`
    lines.push(`${phone},Bench Person ${i},bench${i}@example.test,imported;bench,${i % 2 ? 'Lisbon' : 'Porto'}`)
  }
  return Buffer.from(`${lines.join('\n')}\n`)
}

async function main() {
  const own = process.env.BENCH_URL ? null : await startBenchStack({ database: 'conversa_bench_import', dataDir: '.data/bench-import', port: PORT })
  const base = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`
  let browser: Browser | undefined
  let forgetBrowser = () => {}
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      // Playwright's own handlers would exit as soon as the browser is closed, before the stack has stopped.
      handleSIGINT: false,
      handleSIGTERM: false,
    })
    forgetBrowser = stopOnSignal(browser.close.bind(browser))
    const page = await browser.newPage({ baseURL: base })
    if (!(await page.request.post('/api/auth/login', { data: DEMO })).ok()) throw new Error('sign-in failed')
    await page.goto('/contacts/import')
    // Every main-thread task over 50 ms from here on (loading the page itself is not the import).
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] }
      w.longTasks = []
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' })
    })
    // A file on disk, handed over by path as a user's pick would be: a buffer would be copied into the
    // page by the test harness itself, in one long task that is not the product's.
    const file = csv(ROWS)
    const filePath = path.join(await mkdtemp(path.join(os.tmpdir(), 'import-bench-')), 'bench.csv')
    await writeFile(filePath, file)
    const started = performance.now()
    await page.getByLabel('CSV file').setInputFiles(filePath)
    await page.getByRole('button', { name: /^Import [\d,]+ rows$/ }).click({ timeout: 120_000 })
    await page.getByText('Import finished').waitFor({ timeout: 30 * 60_000 })
    const seconds = (performance.now() - started) / 1000
    const created = await page.getByTestId('import-created').textContent()
    const rejected = await page.getByTestId('import-rejected').textContent()
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)
    console.log('\nCSV import through the contacts page')
    console.table([
      {
        rows: ROWS,
        'file MB': (file.length / 1e6).toFixed(1),
        seconds: seconds.toFixed(1),
        'rows/s': Math.round(ROWS / seconds),
        created,
        rejected,
        'longest task ms': Math.round(Math.max(0, ...longTasks)),
        'tasks > 50 ms': longTasks.length,
        'blocked ms in all': Math.round(longTasks.reduce((a, b) => a + b, 0)),
      },
    ])
  } finally {
    await browser?.close()
    forgetBrowser()
    await own?.stop()
  }
}

await main()
