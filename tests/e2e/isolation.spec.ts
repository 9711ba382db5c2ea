import { expect, test } from '@playwright/test'
import { DEMO, signInWithForm, signUpViaApi } from './support/accounts'

test('the demo workspace shows its seeded conversations, and the platform admin sees every tenant', async ({ page }) => {
  await signInWithForm(page, DEMO.email, DEMO.password)
  await page.getByRole('tab', { name: 'All' }).click()
  // The six seeded conversations (other specs may add customers of their own to the demo workspace).
  await expect.poll(() => page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count()).toBeGreaterThanOrEqual(6)
  await expect(page.getByText('Ana Souza')).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/inbox-demo.png', fullPage: true })

  await page.getByRole('link', { name: 'All tenants' }).click()
  await expect(page.getByRole('cell', { name: 'Demo Coffee Co.' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/admin-tenants.png', fullPage: true })
})

test("a second tenant sees none of the first tenant's data through any route", async ({ page, playwright, baseURL }) => {
  const demo = await playwright.request.newContext({ baseURL })
  expect((await demo.post('/api/auth/login', { data: DEMO })).status()).toBe(200)
  const demoSession = await (await demo.get('/api/session')).json()
  const demoTenantId: string = demoSession.activeTenantId
  const demoConversations = await (await demo.get('/api/conversations')).json()
  expect(demoConversations.conversations.length).toBeGreaterThan(0)

  const other = await playwright.request.newContext({ baseURL })
  const b = await signUpViaApi(other, 'tenant-b')
  expect(b.tenantId).not.toBe(demoTenantId)

  const session = await (await other.get('/api/session')).json()
  expect(session.tenants.map((t: { id: string }) => t.id)).toEqual([b.tenantId])
  expect((await (await other.get('/api/conversations')).json()).conversations).toEqual([])
  expect((await (await other.get('/api/contacts')).json()).contacts).toEqual([])
  const members = await (await other.get('/api/members')).json()
  expect(members.members.map((m: { email: string }) => m.email)).toEqual([b.email])

  // Naming the other tenant explicitly is refused, never silently answered.
  for (const path of ['/api/conversations', '/api/contacts', '/api/members']) {
    const res = await other.get(path, { headers: { 'x-tenant-id': demoTenantId } })
    expect(res.status(), path).toBe(403)
    expect((await res.json()).error.code).toBe('forbidden')
  }
  expect((await other.post('/api/session/tenant', { data: { tenantId: demoTenantId } })).status()).toBe(403)
  expect((await other.post('/api/invitations', { data: { email: 'x@example.test', role: 'agent' }, headers: { 'x-tenant-id': demoTenantId } })).status()).toBe(403)
  expect((await other.get('/api/admin/tenants')).status()).toBe(403)

  // And in the browser: tenant B's inbox is empty and the admin page does not exist for them.
  await page.context().addCookies((await other.storageState()).cookies)
  await page.goto('/inbox')
  await expect(page.getByText('No conversations yet')).toBeVisible()
  await page.getByRole('tab', { name: 'All' }).click()
  await expect(page.getByText('Ana Souza')).toHaveCount(0)
  const admin = await page.goto('/admin/tenants')
  expect(admin?.status()).toBe(404)
})

test('a person in two workspaces switches between them and sees only the active one', async ({ page, playwright, baseURL }) => {
  const person = await playwright.request.newContext({ baseURL })
  const own = await signUpViaApi(person, 'switcher', 'Switcher Studio')
  const demo = await playwright.request.newContext({ baseURL })
  await demo.post('/api/auth/login', { data: DEMO })
  const invite = await (await demo.post('/api/invitations', { data: { email: own.email, role: 'agent' } })).json()
  const token = new URL(invite.inviteUrl).pathname.split('/').pop()
  expect((await person.post('/api/invitations/accept', { data: { token } })).status()).toBe(200)
  expect((await person.post('/api/session/tenant', { data: { tenantId: own.tenantId } })).status()).toBe(200)

  await page.context().addCookies((await person.storageState()).cookies)
  await page.goto('/inbox')
  await page.getByRole('tab', { name: 'All' }).click()
  await expect(page.getByText('No conversations yet')).toBeVisible()
  await expect(page.getByText('Your role: owner')).toBeVisible()

  await page.getByLabel('Workspace').selectOption({ label: 'Demo Coffee Co.' })
  await expect(page.getByText('Ana Souza')).toBeVisible()
  await expect(page.getByText('Your role: agent')).toBeVisible()

  await page.getByLabel('Workspace').selectOption({ label: 'Switcher Studio' })
  await expect(page.getByText('No conversations yet')).toBeVisible()
  await expect(page.getByText('Ana Souza')).toHaveCount(0)
})
