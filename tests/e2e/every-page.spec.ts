// Every signed-in page, at desktop and phone width: it renders without console errors or CSP violations,
// every control has an accessible name, Tab moves focus through visible controls only, and nothing is
// fetched from another host (the product must work offline and behind a firewall).
import { expect, test, type Page } from '@playwright/test'
import { DEMO } from './support/accounts'
import { SIGNED_IN_PAGES as PAGES } from './support/app-pages'
import { reportCspViolations } from './support/console-errors'

/** Controls a screen reader would announce without a name: the check axe calls "button-name" / "label". */
const unnamedControls = (page: Page) =>
  page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=checkbox]')]
    const visible = (el: HTMLElement) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    const nameOf = (el: HTMLElement) => {
      const labelledBy = el.getAttribute('aria-labelledby')
      const byIds = labelledBy ? labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : ''
      const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent ?? '').join(' ') : ''
      const img = [...el.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt')).join(' ')
      return [el.getAttribute('aria-label'), byIds, labels, el.getAttribute('title'), el instanceof HTMLInputElement && ['submit', 'button'].includes(el.type) ? el.value : '', el.textContent, img]
        .join(' ')
        .trim()
    }
    return controls.filter((el) => visible(el) && !nameOf(el)).map((el) => el.outerHTML.slice(0, 160))
  })

for (const viewport of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 740 },
]) {
  test(`every page renders cleanly and accessibly (${viewport.name})`, async ({ page }) => {
    await page.setViewportSize(viewport)
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`))
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`))
    await reportCspViolations(page)
    const external: string[] = []
    page.on('request', (r) => !/^(https?:\/\/(localhost|127\.0\.0\.1)[:/]|data:|blob:)/.test(r.url()) && external.push(r.url()))
    expect((await page.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
    for (const path of PAGES) {
      await page.goto(path)
      await expect(page.locator('main h1').first(), path).toBeVisible()
      // Not networkidle: the live connection keeps a request open for as long as the page is.
      await expect(page.getByText(/^Loading/), path).toHaveCount(0)
      expect(await unnamedControls(page), path).toEqual([])
      // The first few Tab stops land on visible, focusable controls (no focus traps or hidden stops).
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab')
        const focused = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null
          return el && el !== document.body ? el.getClientRects().length > 0 : true
        })
        expect(focused, `${path}: tab stop ${i + 1} is visible`).toBe(true)
      }
    }
    expect(errors).toEqual([])
    expect(external).toEqual([])
  })
}

test('an unknown address answers 404 with a page of our own and the ways back', async ({ page }) => {
  expect((await page.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible()
  await page.getByRole('link', { name: 'Go to the inbox' }).click()
  await expect(page).toHaveURL(/\/inbox$/)
})
