// Security headers on every answer: each page carries a Content-Security-Policy with a nonce of its own
// (and Next.js's scripts carry it), API and static answers the static headers, /api/media its own sandbox
// policy; in the browser the pages run without a violation while an injected inline script is blocked.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { expect, test, type APIRequestContext, type APIResponse, type Page } from '@playwright/test'
import { DEMO } from './support/accounts'
import { SIGNED_IN_PAGES } from './support/app-pages'
import { collectConsoleErrors } from './support/console-errors'
import { DEMO_NUMBER } from './support/meta'

const PUBLIC_PAGES = ['/login', '/signup', '/invite/not-a-real-invitation']
// The stack serves a production build when there is one (CI), `next dev` otherwise.
const production = existsSync('.next/BUILD_ID')

const nonceOf = (csp: string | undefined) => csp?.match(/'nonce-([^']+)'/)?.[1]

/** The signed-in pages whose address holds an id: one contact and one draft campaign of the demo workspace. */
async function pagesWithIds(request: APIRequestContext) {
  const { contacts } = (await (await request.get('/api/contacts?limit=1')).json()) as { contacts: { id: string }[] }
  let contactId = contacts[0]?.id
  if (!contactId) {
    const created = await request.post('/api/contacts', { data: { phone: `+4477009${String(Date.now()).slice(-5)}`, name: 'CSP Check' } })
    expect(created.status(), await created.text()).toBe(201)
    contactId = ((await created.json()) as { contact: { id: string } }).contact.id
  }
  const { campaigns } = (await (await request.get('/api/campaigns')).json()) as { campaigns: { id: string; status: string }[] }
  let campaignId = campaigns.find((c) => c.status === 'draft')?.id
  if (!campaignId) {
    const created = await request.post('/api/campaigns', { data: { name: 'CSP check draft' } })
    expect(created.status(), await created.text()).toBe(201)
    campaignId = ((await created.json()) as { campaign: { id: string } }).campaign.id
  }
  return [`/contacts/${contactId}`, `/campaigns/${campaignId}`, `/campaigns/${campaignId}/edit`]
}

function expectStaticHeaders(res: APIResponse, what: string) {
  const headers = res.headers()
  expect(headers['x-content-type-options'], what).toBe('nosniff')
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin')
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(headers['permissions-policy'], what).toContain(`${feature}=()`)
  expect(headers['x-frame-options'], what).toBe('DENY')
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin')
  // The stack serves http://localhost: HSTS there would pin the browser to an https that does not exist.
  expect(headers['strict-transport-security'], what).toBeUndefined()
}

/** One page answer: its policy, the static headers, and every script Next.js rendered carrying the nonce. */
async function expectPageAnswer(res: APIResponse, path: string) {
  expect(res.status(), path).toBe(200)
  expectStaticHeaders(res, path)
  const csp = res.headers()['content-security-policy']
  const nonce = nonceOf(csp)
  expect(nonce, `${path}: ${csp}`).toMatch(/^[A-Za-z0-9+/]{22}==$/)
  for (const directive of [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ])
    expect(csp, path).toContain(directive)
  if (production) expect(csp, path).not.toContain('unsafe-eval')
  expect(csp, path).not.toContain('upgrade-insecure-requests')
  const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? []
  expect(scripts.length, path).toBeGreaterThan(0)
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)), path).toEqual([])
  return nonce!
}

test('every page answers with a CSP whose nonce is new on each load, and the static security headers', async ({ request }) => {
  const check = async (path: string) => {
    const first = await expectPageAnswer(await request.get(path, { maxRedirects: 0 }), path)
    const second = await expectPageAnswer(await request.get(path, { maxRedirects: 0 }), path)
    expect(second, `${path}: a second load gets a nonce of its own`).not.toBe(first)
  }
  for (const path of PUBLIC_PAGES) await check(path)
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  for (const path of [...SIGNED_IN_PAGES, ...(await pagesWithIds(request))]) await check(path)
})

test('API and static answers carry the static headers; /api/media keeps its own sandbox policy', async ({ request }) => {
  for (const path of ['/api/health', '/api/contacts', '/sw.js', '/manifest.webmanifest']) {
    const res = await request.get(path)
    expectStaticHeaders(res, path)
    // The page policy is for documents; routes set their own where it matters.
    expect(res.headers()['content-security-policy'], path).toBeUndefined()
  }

  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const { numbers } = (await (await request.get('/api/numbers')).json()) as { numbers: { id: string; phoneNumberId: string }[] }
  const number = numbers.find((n) => n.phoneNumberId === DEMO_NUMBER.phoneNumberId)!
  const uploaded = await request.post(`/api/numbers/${number.id}/media`, { multipart: { file: { name: 'csp.png', mimeType: 'image/png', buffer: randomBytes(1024) } } })
  expect(uploaded.status(), await uploaded.text()).toBe(201)
  const { media } = (await uploaded.json()) as { media: { id: string } }
  const file = await request.get(`/api/media/${media.id}`)
  expect(file.status()).toBe(200)
  expect(file.headers()['content-security-policy']).toBe("default-src 'none'; sandbox")
  expectStaticHeaders(file, '/api/media')
})

type Violation = { directive: string; blocked: string }
declare global {
  interface Window {
    __cspViolations?: Violation[]
    __injected?: boolean
  }
}

async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    window.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations!.push({ directive: e.effectiveDirective, blocked: e.blockedURI }))
  })
}

test('every page runs under the policy without a single violation', async ({ page }) => {
  await recordViolations(page)
  const errors = collectConsoleErrors(page)
  for (const path of PUBLIC_PAGES) {
    await page.goto(path)
    await expect(page.locator('main h1').first(), path).toBeVisible()
    expect(await page.evaluate(() => window.__cspViolations), path).toEqual([])
  }
  expect((await page.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  for (const path of [...SIGNED_IN_PAGES, ...(await pagesWithIds(page.request))]) {
    await page.goto(path)
    await expect(page.locator('main h1').first(), path).toBeVisible()
    await expect(page.getByText(/^Loading/), path).toHaveCount(0)
    expect(await page.evaluate(() => window.__cspViolations), path).toEqual([])
  }
  expect(errors).toEqual([])
})

test('the policy is live: an inline script without the nonce is blocked, and reported as a console error', async ({ page }) => {
  await recordViolations(page)
  const errors = collectConsoleErrors(page)
  expect((await page.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  // What a stored XSS would look like: markup in the page the server did not nonce.
  await page.route('**/dashboard', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback()
    const original = await route.fetch()
    const headers = { ...original.headers() }
    delete headers['content-encoding']
    delete headers['content-length']
    const body = (await original.text()).replace('</body>', '<script>window.__injected = true</script></body>')
    expect(body).toContain('window.__injected')
    await route.fulfill({ status: original.status(), headers, body })
  })
  await page.goto('/dashboard')
  await expect(page.locator('main h1').first()).toBeVisible()
  expect(await page.evaluate(() => window.__injected)).toBeUndefined()
  expect(await page.evaluate(() => window.__cspViolations)).toContainEqual({ directive: 'script-src-elem', blocked: 'inline' })
  expect(errors.some((e) => e.includes('CSP violation: script-src-elem'))).toBe(true)
})
