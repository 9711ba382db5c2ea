import { randomInt } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import Papa from 'papaparse'
import { DEMO, signInWithForm } from './support/accounts'
import { collectConsoleErrors } from './support/console-errors'

// Line numbers (header = line 1) and the reason each bad row must be reported with.
const BAD_ROWS: Record<number, { cells: (i: number, phone: string) => string[]; reason: RegExp }> = {
  5: { cells: (i) => ['12345', `Bad ${i}`, '', '', ''], reason: /needs a country code/ },
  50: { cells: (i) => ['+1 415', `Bad ${i}`, '', '', ''], reason: /not a valid phone number/ },
  120: { cells: (i) => ['+call me maybe', `Bad ${i}`, '', '', ''], reason: /not a valid phone number/ },
  200: { cells: (i) => ['', `No phone ${i}`, '', '', ''], reason: /Phone number is missing/ },
  333: { cells: (i) => ['', `No phone ${i}`, 'x@example.test', '', ''], reason: /Phone number is missing/ },
  404: { cells: (i, phone) => [phone, `Bad mail ${i}`, 'not-an-email', '', ''], reason: /Not a valid email address/ },
  500: { cells: (i, phone) => [phone, `Bad mail ${i}`, 'a@b', '', ''], reason: /Not a valid email address/ },
  640: { cells: (i, phone) => [phone, `Bad mail ${i}`, 'two@@example.test', '', ''], reason: /Not a valid email address/ },
  777: { cells: (i, phone) => [phone, `Long tag ${i}`, '', 't'.repeat(60), ''], reason: /tag is at most 50 characters/ },
  999: { cells: (i, phone) => [phone, `Long city ${i}`, '', '', 'c'.repeat(600)], reason: /custom field value is at most 500/ },
}

function buildCsv(run: string) {
  // Fresh US numbers per run, so every good row creates a contact even on a reused stack.
  const base = randomInt(2_000_000, 8_000_000)
  const lines = ['phone,name,email,tags,city']
  for (let i = 0; i < 1000; i++) {
    const line = i + 2
    const phone = `+1 415 ${String(base + i).slice(0, 3)} ${String(base + i).slice(3)}`
    const cells = BAD_ROWS[line]?.cells(i, phone) ?? [phone, `Person ${run} ${String(i).padStart(4, '0')}`, `p${i}.${run}@example.test`, 'imported; e2e', i % 2 ? 'Lisbon' : 'Porto']
    lines.push(cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
  }
  return `${lines.join('\n')}\n`
}

test('imports a 1,000-row CSV, reports exactly its 10 bad rows, and edits an imported contact', async ({ page }) => {
  test.setTimeout(180_000)
  // Letters only: digits in the search text would also match phone numbers.
  const run = Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join('')
  await signInWithForm(page, DEMO.email, DEMO.password)
  const errors = collectConsoleErrors(page)

  await page.goto('/contacts/import')
  await page.getByLabel('CSV file').setInputFiles({ name: `people-${run}.csv`, mimeType: 'text/csv', buffer: Buffer.from(buildCsv(run)) })
  // First visits compile the route under `next dev`, which is slow on a busy machine.
  const firstVisit = { timeout: 30_000 }
  await expect(page.getByRole('combobox', { name: 'Import phone as' })).toHaveValue('phone', firstVisit)
  await expect(page.getByRole('combobox', { name: 'Import city as' })).toHaveValue('field')
  await page.getByRole('button', { name: 'Import 1,000 rows' }).click()

  const progress = page.getByRole('progressbar', { name: 'Import progress' })
  await expect(progress).toBeVisible()
  await expect(page.getByText('Import finished')).toBeVisible({ timeout: 120_000 })
  await expect(progress).toHaveAttribute('aria-valuenow', '1000')
  await expect(page.getByTestId('import-created')).toHaveText('990')
  await expect(page.getByTestId('import-updated')).toHaveText('0')
  await expect(page.getByTestId('import-rejected')).toHaveText('10')

  const rejected = page.getByRole('table', { name: 'Rejected rows' }).locator('tbody tr')
  await expect(rejected).toHaveCount(10)
  const reported = await rejected.evaluateAll((rows) => rows.map((r) => [Number(r.children[0]!.textContent), r.children[1]!.textContent ?? ''] as const))
  expect(reported.map(([line]) => line)).toEqual(Object.keys(BAD_ROWS).map(Number))
  for (const [line, reason] of reported) expect(reason, `line ${line}`).toMatch(BAD_ROWS[line]!.reason)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download rejected rows as CSV' }).click()])
  const downloaded = Papa.parse<Record<string, string>>(await readFile(await download.path(), 'utf8'), { header: true, skipEmptyLines: true })
  expect(downloaded.data.map((r) => Number(r.line))).toEqual(Object.keys(BAD_ROWS).map(Number))
  expect(downloaded.meta.fields).toEqual(['line', 'reason', 'phone', 'name', 'email', 'tags', 'city'])

  // The report is stored: a reload shows the same totals and rejected lines.
  await page.reload()
  await expect(page.getByTestId('import-created')).toHaveText('990')
  await expect(page.getByRole('table', { name: 'Rejected rows' }).locator('tbody tr')).toHaveCount(10)

  await page.goto('/contacts')
  await page.getByRole('searchbox', { name: 'Search' }).fill(`Person ${run}`)
  await expect(page.getByText('990 matching', { exact: true })).toBeVisible(firstVisit)
  await expect(page.getByRole('link', { name: `Person ${run} 0000` })).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/contacts.png', fullPage: true })

  // Every match of the search, not just the loaded page, gets the tag.
  await page.getByRole('checkbox', { name: 'Select all loaded contacts' }).check()
  await page.getByRole('button', { name: 'Select all 990 matching' }).click()
  await expect(page.getByText('All 990 matching contacts selected')).toBeVisible()
  await page.getByLabel('Tag', { exact: true }).fill(`batch-${run}`)
  await page.getByRole('button', { name: 'Add tag' }).click()
  await expect(page.getByText('Tagged 990 contacts')).toBeVisible()
  await page.getByLabel('Tags (all of, comma-separated)').fill(`batch-${run}`)
  // The selection ends once the new filter applies; the tagged set is exactly the 990 imported.
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toHaveCount(0)
  await expect(page.getByText('990 matching', { exact: true })).toBeVisible()

  // At phone width the page itself never scrolls sideways (the table scrolls inside its frame).
  await page.setViewportSize({ width: 375, height: 800 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
  await page.setViewportSize({ width: 1280, height: 720 })

  await page.getByRole('link', { name: `Person ${run} 0000` }).click()
  await expect(page.getByRole('heading', { level: 1, name: `Person ${run} 0000` })).toBeVisible(firstVisit)
  await expect(page.getByRole('textbox', { name: 'Field 1 value' })).toHaveValue('Porto')

  await page.getByLabel('New note').fill('Asked for the autumn catalogue')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(page.getByRole('list', { name: 'Notes' }).getByText('Asked for the autumn catalogue')).toBeVisible()

  await page.getByLabel('New tag').fill('catalogue')
  await page.getByRole('button', { name: 'Add tag' }).click()
  const tags = page.getByRole('list', { name: 'Tags' })
  await expect(tags.getByText('catalogue')).toBeVisible()
  await expect(tags.getByText('imported')).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/contact-page.png', fullPage: true })
  await page.setViewportSize({ width: 375, height: 800 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
  await page.setViewportSize({ width: 1280, height: 720 })

  // The note and tag were saved, not just shown.
  await page.reload()
  await expect(page.getByRole('list', { name: 'Notes' }).getByText('Asked for the autumn catalogue')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Tags' }).getByText('catalogue')).toBeVisible()
  expect(errors).toEqual([])
})
