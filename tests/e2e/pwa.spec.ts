// The installable app: manifest with icons, a service worker controlling the page, and the web-push
// subscription endpoints a browser posts to (the push itself is covered by the integration suite,
// since a headless browser here cannot reach a vendor's push service).
import { expect, test } from '@playwright/test'
import { DEMO } from './support/accounts'
import { collectConsoleErrors } from './support/console-errors'

test('the app is installable: manifest, icons and an active service worker', async ({ page, request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json()
  expect(manifest).toMatchObject({ short_name: 'Conversa', start_url: '/inbox', display: 'standalone' })
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const res = await request.get(icon.src)
    expect(res.status(), icon.src).toBe(200)
    expect(res.headers()['content-type']).toBe(icon.type)
  }

  const errors = collectConsoleErrors(page)
  expect((await page.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  await page.goto('/inbox')
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest\.webmanifest/)
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)
  expect(scope).toMatch(/\/$/)
  await expect(page.getByRole('button', { name: /Notify me|Notifications on/ })).toBeVisible()
  expect(errors).toEqual([])
})

test('the emoji picker’s data is served by the app, not a CDN', async ({ request }) => {
  const data = await (await request.get('/emoji-data/en/data.json')).json()
  expect(data.length).toBeGreaterThan(1000)
  expect(data.find((e: { label: string }) => e.label === 'thumbs up')?.hexcode).toBe('1F44D')
  expect((await request.get('/emoji-data/en/messages.json')).status()).toBe(200)
  expect((await request.get('/emoji-data/en/other.json')).status()).toBe(404)
})

test('push subscriptions: the public key, a validated subscription, and unsubscribe', async ({ request }) => {
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const { publicKey } = await (await request.get('/api/push/config')).json()
  expect(publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/) // an uncompressed P-256 point, URL-safe base64

  const insecure = await request.post('/api/push/subscriptions', { data: { endpoint: 'http://push.example.test/x', keys: { p256dh: 'a'.repeat(87), auth: 'b'.repeat(22) } } })
  expect(insecure.status()).toBe(422)
  expect((await insecure.json()).error.details).toBeTruthy()

  // A public address written as a literal: saving needs no DNS (none here), and nothing is sent to it.
  const endpoint = `https://142.250.74.138/fcm/send/${Date.now()}`
  const saved = await request.post('/api/push/subscriptions', { data: { endpoint, keys: { p256dh: 'B'.repeat(87), auth: 'c'.repeat(22) } } })
  expect(saved.status(), await saved.text()).toBe(200)
  const removed = await request.delete('/api/push/subscriptions', { data: { endpoint } })
  expect(await removed.json()).toEqual({ removed: 1 })
})
