// The ops API of the send engine: who may read and steer the queues, and what it shows.
import { expect, test } from '@playwright/test'
import { DEMO, signInWithForm, signUpViaApi } from './support/accounts'
import { DEMO_NUMBER, opsToken, qstashKeys } from './support/meta'
import { qstashSignature } from './support/qstash'

const STATS = '/api/whatsapp/queue/stats'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

test('without credentials 401, a tenant owner 403, a wrong token 401', async ({ playwright, request }) => {
  expect((await request.get(STATS)).status()).toBe(401)
  expect((await request.post(STATS, { data: { action: 'recover_stuck', queue: 'sends' } })).status()).toBe(401)
  expect((await request.get(STATS, { headers: bearer('not-the-ops-token-not-the-ops-token') })).status()).toBe(401)

  const owner = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL })
  await signUpViaApi(owner, 'ops-outsider')
  const refused = await owner.get(STATS)
  expect(refused.status()).toBe(403)
  expect((await refused.json()).error.code).toBe('forbidden')
  await owner.dispose()
})

test('the ops token reads queue depths and per-number pacing, for all numbers or one', async ({ request }) => {
  const res = await request.get(STATS, { headers: bearer(opsToken()) })
  expect(res.status(), await res.text()).toBe(200)
  const stats = await res.json()
  expect(stats.driver).toBe('postgres')
  for (const family of ['sends', 'webhooks']) expect(stats.queues[family]).toEqual({ pending: expect.any(Number), delayed: expect.any(Number), processing: expect.any(Number), dead: expect.any(Number) })
  const demo = stats.numbers.find((n: { phoneNumberId: string }) => n.phoneNumberId === DEMO_NUMBER.phoneNumberId)
  expect(demo).toMatchObject({ mps: 80, breaker: { phase: 'closed' }, rateFactor: 1, messagingLimit: { tier: expect.any(String) }, queue: { dead: 0 } })

  const one = await (await request.get(`${STATS}?instanceId=${DEMO_NUMBER.phoneNumberId}`, { headers: bearer(opsToken()) })).json()
  expect(one.numbers.map((n: { phoneNumberId: string }) => n.phoneNumberId)).toEqual([DEMO_NUMBER.phoneNumberId])
})

test('actions: a bad one is 400; retry_dlq, recover_stuck and clear answer how many jobs they touched', async ({ request }) => {
  const bad = await request.post(STATS, { headers: bearer(opsToken()), data: { action: 'drop_everything', queue: 'sends' } })
  expect(bad.status()).toBe(400)
  expect((await bad.json()).error).toMatchObject({ code: 'bad_request', details: [expect.objectContaining({ path: 'action' })] })
  expect((await request.post(STATS, { headers: bearer(opsToken()), data: { action: 'retry_dlq', queue: 'mail' } })).status()).toBe(400)

  for (const action of ['retry_dlq', 'recover_stuck', 'clear']) {
    const ok = await request.post(STATS, { headers: bearer(opsToken()), data: { action, queue: 'sends' } })
    expect(ok.status(), await ok.text()).toBe(200)
    expect(await ok.json()).toEqual({ action, queue: 'sends', affected: expect.any(Number) })
  }
})

test('a platform admin reads the stats with the browser session', async ({ request }) => {
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const res = await request.get(STATS)
  expect(res.status()).toBe(200)
  expect((await res.json()).queues.sends).toBeDefined()
})

test('the queues page shows live depths, a backlog chart and each number against its MPS', async ({ page }) => {
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await signInWithForm(page, DEMO.email, DEMO.password)
  await page.getByRole('link', { name: 'Queues' }).click()
  await expect(page.getByRole('heading', { name: 'Queues' })).toBeVisible()
  const sends = page.getByRole('article', { name: 'sends queue' })
  await expect(sends.getByText('Pending')).toBeVisible()
  // The backlog chart has its axes from the first readings, and says in words what it shows.
  const backlog = page.getByRole('figure', { name: /Send backlog, last 120 s/ })
  await expect(backlog).toContainText(/empty: every send went out on time|now \d+, peak \d+/)
  const ticks = backlog.locator('.recharts-cartesian-axis-tick-value')
  await expect(ticks.filter({ hasText: /\d{1,2}:\d{2}:\d{2}/ }).first()).toBeAttached()
  await expect(ticks.filter({ hasText: /^0$/ })).toHaveCount(1)
  await expect(page.getByRole('meter', { name: `${DEMO_NUMBER.phoneNumberId} rate` })).toHaveAttribute('aria-valuemax', '80')
  await expect(page.getByRole('row').filter({ hasText: 'closed' }).first()).toBeVisible()
  await sends.getByRole('button', { name: 'Recover stuck' }).click()
  await expect(page.getByText(/recover stuck on sends: \d+ jobs?/)).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/queues.png', fullPage: true })
  expect(errors).toEqual([])
})

test('stuck-job recovery runs for a QStash-signed call only (current or next key)', async ({ request, baseURL }) => {
  const RECOVER = '/api/whatsapp/queue/recover'
  const url = new URL(RECOVER, baseURL).toString()
  const body = '{}'
  const post = (signature?: string, data = body) =>
    request.post(RECOVER, { data, headers: { 'content-type': 'application/json', ...(signature ? { 'upstash-signature': signature } : {}) } })

  for (const key of [qstashKeys().current, qstashKeys().next]) {
    const ok = await post(await qstashSignature(key, body, url))
    expect(ok.status(), await ok.text()).toBe(200)
    expect(await ok.json()).toEqual({ recovered: { sends: expect.any(Number), webhooks: expect.any(Number) } })
  }
  expect((await post()).status()).toBe(401)
  expect((await post(await qstashSignature('sig_not-our-signing-key-at-all', body, url))).status()).toBe(401)
  expect((await post(await qstashSignature(qstashKeys().current, body, url), '{"tampered":true}')).status()).toBe(401)
  expect((await post(await qstashSignature(qstashKeys().current, body, new URL('/api/other', baseURL).toString()))).status()).toBe(401)
})
