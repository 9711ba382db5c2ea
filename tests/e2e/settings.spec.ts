// The demo workspace's templates, numbers, API keys and dashboard pages in the browser: each renders
// without console errors, and an API key made on the page works against the API until it is revoked.
import { randomBytes } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { DEMO, signInWithForm } from './support/accounts'
import { DEMO_NUMBER } from './support/meta'

// Refusals a test provokes on purpose show up as failed resource loads; anything else is a defect.
function consoleErrors(page: Page, expectedStatuses: number[] = []) {
  const errors: string[] = []
  const expected = expectedStatuses.map((s) => `status of ${s}`)
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((e) => m.text().includes(e))) errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

test.beforeEach(async ({ page }) => {
  await signInWithForm(page, DEMO.email, DEMO.password)
})

test('the templates page syncs the demo templates from Meta, previews one and submits a new one', async ({ page }) => {
  const errors = consoleErrors(page, [422])
  await page.goto('/templates')
  await page.getByRole('button', { name: 'Sync from Meta' }).click()
  await expect(page.getByText(/Synced \d+ templates? from 1 account/)).toBeVisible()
  for (const name of ['hello_world', 'order_update', 'promo_image'])
    await expect(page.getByRole('button', { name: `Preview ${name} (en_US)` })).toBeVisible()

  await page.getByRole('button', { name: 'Preview order_update (en_US)' }).click()
  const detail = page.getByRole('complementary', { name: 'Template order_update' })
  const preview = detail.getByRole('figure', { name: 'Message preview' })
  await expect(preview).toContainText('your order {{2}} is on its way.')
  await expect(preview).toContainText('Track order')

  await page.getByLabel('Search templates').fill('promo')
  await expect(page.getByRole('button', { name: 'Preview promo_image (en_US)' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Preview hello_world (en_US)' })).toHaveCount(0)
  await page.getByLabel('Search templates').fill('')
  await page.getByLabel('Category').selectOption('MARKETING')
  await expect(page.getByRole('button', { name: 'Preview promo_image (en_US)' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Preview order_update (en_US)' })).toHaveCount(0)
  await page.getByLabel('Category').selectOption('')

  const name = `e2e_${randomBytes(3).toString('hex')}`
  await page.getByRole('button', { name: 'New template' }).click()
  const form = page.getByRole('form', { name: 'New template' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Body').fill('Hi {{1}}, your table is ready.')
  await form.getByLabel('Example for {{1}}').fill('Ana')
  await expect(form.getByRole('figure', { name: 'Message preview' })).toContainText('Hi Ana, your table is ready.')
  await form.getByRole('button', { name: 'Submit for review' }).click()
  await expect(page.getByText(`Submitted ${name} to Meta for review`)).toBeVisible()
  await expect(page.getByRole('button', { name: `Preview ${name} (en_US)` })).toBeVisible()

  // The same name and language again: Meta's own refusal is shown in the form.
  await page.getByRole('button', { name: 'New template' }).click()
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Body').fill('Hello again')
  await form.getByRole('button', { name: 'Submit for review' }).click()
  await expect(form.getByRole('alert')).toContainText('already')
  expect(errors).toEqual([])
})

test('an API key created on the page reads conversations through the API until it is revoked', async ({ page, playwright, baseURL }) => {
  const errors = consoleErrors(page)
  await page.goto('/settings/api-keys')
  const keyName = `e2e key ${randomBytes(3).toString('hex')}`
  await page.getByLabel('Key name').fill(keyName)
  await page.getByLabel('Role').selectOption('agent')
  await page.getByRole('button', { name: 'Create key' }).click()
  const key = await page.getByLabel('New API key').inputValue()
  expect(key).toMatch(/^cv_live_[A-Za-z0-9_-]{43}$/)
  await expect(page.getByRole('row', { name: new RegExp(keyName) })).toContainText('Active')

  // A client with no cookies at all: the key alone authenticates.
  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } })
  const ok = await client.get('/api/conversations')
  expect(ok.status(), await ok.text()).toBe(200)
  expect((await ok.json()).conversations.length).toBeGreaterThan(0)
  expect((await client.get('/api/api-keys')).status()).toBe(403)
  expect((await client.get('/api/session')).status()).toBe(401)

  page.once('dialog', (dialog) => dialog.accept())
  await page.getByRole('button', { name: `Revoke ${keyName}` }).click()
  await expect(page.getByRole('row', { name: new RegExp(keyName) })).toContainText('Revoked')
  const denied = await client.get('/api/conversations')
  expect(denied.status()).toBe(401)
  expect((await denied.json()).error.code).toBe('unauthenticated')
  await client.dispose()
  expect(errors).toEqual([])
})

test("the numbers page lists the demo number and shows Meta's refusal of a bad token", async ({ page }) => {
  const errors = consoleErrors(page, [422])
  await page.goto('/settings/numbers')
  const row = page.getByRole('row', { name: /\+1 555-010-0001/ })
  await expect(row).toContainText('Demo Coffee Co.')
  await expect(row).toContainText('green')
  await expect(row).toContainText('2K / day')

  const form = page.getByRole('form', { name: 'Connect a number' })
  await form.getByLabel('Phone number id').fill(DEMO_NUMBER.phoneNumberId)
  await form.getByLabel('WhatsApp Business Account id').fill(DEMO_NUMBER.wabaId)
  await form.getByLabel('Access token').fill('EAAG-not-a-valid-token-000000')
  await form.getByRole('button', { name: 'Connect number' }).click()
  await expect(form.getByRole('alert')).toContainText('Meta did not accept this number and token')
  expect(errors).toEqual([])
})

test("the dashboard shows today's counters, the demo number and open conversations per agent", async ({ page }) => {
  const errors = consoleErrors(page)
  await page.goto('/dashboard')
  const today = page.getByRole('region', { name: 'Today' })
  for (const label of ['Received', 'Sent', 'Failed']) await expect(today.getByText(label, { exact: true })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Numbers' }).getByText('+1 555-010-0001')).toBeVisible()
  const perAgent = page.getByRole('table', { name: 'Open conversations per agent' })
  await expect(perAgent.getByRole('row').nth(1)).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/dashboard.png', fullPage: true })
  expect(errors).toEqual([])
})
