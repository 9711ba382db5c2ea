// Sessions in the browser: the cookies of a signed-out session are worthless if someone kept a copy,
// and Settings → Security lists the person's devices and signs one or all of them out.
import { expect, test, type Browser } from '@playwright/test'
import { collectConsoleErrors } from './support/console-errors'
import { PASSWORD, signInWithForm, signUpViaApi } from './support/accounts'

async function device(browser: Browser, userAgent: string) {
  const context = await browser.newContext({ userAgent })
  return { context, page: await context.newPage() }
}

test('signing out ends the session: a copy of its cookies no longer works', async ({ browser, request }) => {
  const { email } = await signUpViaApi(request, 'leaver')
  const { context, page } = await device(browser, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36')
  const errors = collectConsoleErrors(page)
  await signInWithForm(page, email, PASSWORD)
  const saved = await context.cookies()

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('**/login')

  const thief = await browser.newContext()
  await thief.addCookies(saved)
  expect((await thief.request.get('/api/session')).status()).toBe(401)
  const stolen = await thief.newPage()
  await stolen.goto('/inbox')
  await expect(stolen).toHaveURL(/\/login/)
  await thief.close()
  await context.close()
  // Requests already in flight when the session ends answer 401 before the page leaves: expected.
  expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([])
})

test('Settings → Security lists the devices, signs another one out, then every one', async ({ browser, request }) => {
  const { email } = await signUpViaApi(request, 'devices')
  const laptop = await device(browser, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15')
  const phone = await device(browser, 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36')
  const errors = collectConsoleErrors(laptop.page)
  await signInWithForm(laptop.page, email, PASSWORD)
  await signInWithForm(phone.page, email, PASSWORD)

  await laptop.page.goto('/settings/security')
  const sessions = laptop.page.getByRole('list', { name: 'Sessions' })
  await expect(sessions.getByRole('listitem').filter({ hasText: 'Safari on macOS' }).filter({ hasText: 'This device' })).toBeVisible()
  await expect(sessions.getByRole('listitem').filter({ hasText: 'Chrome on Android' })).toBeVisible()

  await laptop.page.getByRole('button', { name: 'Sign out Chrome on Android' }).click()
  await expect(sessions.getByRole('listitem').filter({ hasText: 'Chrome on Android' })).toHaveCount(0)
  expect((await phone.context.request.get('/api/session')).status()).toBe(401)
  await phone.page.reload()
  await expect(phone.page).toHaveURL(/\/login/)

  await signInWithForm(phone.page, email, PASSWORD)
  laptop.page.once('dialog', (dialog) => void dialog.accept())
  await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click()
  await laptop.page.waitForURL('**/login')
  expect((await phone.context.request.get('/api/session')).status()).toBe(401)
  expect((await laptop.context.request.get('/api/session')).status()).toBe(401)
  await laptop.context.close()
  await phone.context.close()
  // Requests already in flight when the session ends answer 401 before the page leaves: expected.
  expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([])
})
