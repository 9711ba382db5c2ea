// Campaigns through the whole stack with the Meta emulator as every customer: the wizard, a 5,000-recipient
// run whose funnel equals Meta's records, pause, resume and cancel, an opt-out mid-run, the messaging
// limit, the signed scheduled start, and a worker killed mid-campaign. Each test puts back what it bends.
import { randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { displayPhone } from '@/core/util/display-phone'
import type { Db } from '@/server/db/create-db'
import { DEMO, signInWithForm } from './support/accounts'
import {
  campaignState,
  createCampaignViaApi,
  demoWorkspace,
  e2eDb,
  forgetReached,
  launchViaApi,
  makeUndeliverable,
  perCustomer,
  removeCampaignTrail,
  portfolioUsed,
  seedContacts,
  sentTo,
  setMessagingLimit,
  setThroughput,
  withoutReadReceipts,
  type Demo,
} from './support/campaigns'
import { collectConsoleErrors } from './support/console-errors'
import { injectInbound, qstashKeys } from './support/meta'
import { qstashSignature } from './support/qstash'
import { killStackWorker, stackWorkers, startWorker } from './support/worker-process'

let db: Db
let demo: Demo
const uniqueTag = (label: string) => `${label}-${randomBytes(3).toString('hex')}`
// First visits compile the route under `next dev`, which is slow on a busy machine.
const firstVisit = { timeout: 60_000 }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const en = (n: number) => n.toLocaleString('en-US')
// What `next dev` on two shared cores takes in status webhooks (two per message); the engine itself goes faster.
const BULK_MPS = Number(process.env.E2E_BULK_MPS ?? 100)
/** The customers the messaging-limit test leaves room for; set 1000 where the stack takes the webhooks of a faster run. */
const ROOM = Number(process.env.E2E_LIMIT_ROOM ?? 200)
/** Recipients of the pause and cancel runs: at 20 MPS, half a minute to act in on a busy machine. */
const RUN = 600

test.beforeAll(async ({ playwright, baseURL }) => {
  db = e2eDb()
  const request = await playwright.request.newContext({ baseURL })
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  demo = await demoWorkspace(request, db)
  // Compiles the controls' route under `next dev` now, not in the middle of a run that must be paused in time.
  await request.post('/api/campaigns/00000000-0000-4000-8000-000000000000/actions', { data: { action: 'pause' } })
  await request.dispose()
})
test.afterAll(async () => db?.end())

async function signedIn(page: Page) {
  await signInWithForm(page, DEMO.email, DEMO.password)
  return page.request
}

const statusOf = async (request: APIRequestContext, id: string) => (await campaignState(request, id)).status
/** How many of `waIds` the emulator accepted a message for, read twice `ms` apart. */
async function sentCountSettles(request: APIRequestContext, waIds: string[], ms: number) {
  const first = (await sentTo(request, waIds)).length
  await sleep(ms)
  return { first, then: (await sentTo(request, waIds)).length }
}

test('the wizard sends order_update to a tag with each contact’s values, and the page follows it to completed', async ({ page }) => {
  test.setTimeout(180_000)
  const tag = uniqueTag('wizard')
  const waIds = await seedContacts(db, demo.tenantId, tag, 12, { order: '#1042' })
  const optedOut = waIds[11]!
  await db.sql`update public.contacts set opted_out_at = now() where tenant_id = ${demo.tenantId} and wa_id = ${optedOut}`
  await signedIn(page)
  const errors = collectConsoleErrors(page)
  try {
    await page.goto('/campaigns/new')
    await page.getByLabel('Campaign name').fill(`Wizard ${tag}`)
    await page.getByRole('button', { name: 'Create draft' }).click()
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\/edit$/, firstVisit)

    await page.getByRole('textbox', { name: 'Tag to include' }).fill(tag)
    await page.getByRole('button', { name: 'Add tag to include contacts tagged' }).click()
    await expect(page.getByTestId('eligible-count')).toHaveText('11', firstVisit)
    await expect(page.getByTestId('excluded-opted-out')).toHaveText('1')

    await page.getByRole('button', { name: 'Next: Template' }).click()
    await page.getByLabel('Send from').selectOption(demo.numberId)
    await page.getByLabel('Template', { exact: true }).selectOption(demo.templateId)
    const first = page.getByRole('group', { name: 'Body {{1}}' })
    await first.getByLabel('Value from').selectOption('contact')
    await first.getByLabel('Contact field').selectOption('first_name')
    await first.getByLabel('Fallback when empty').fill('there')
    const second = page.getByRole('group', { name: 'Body {{2}}' })
    await second.getByLabel('Value from').selectOption('custom')
    await second.getByLabel('Custom field name').fill('order')
    const button = page.getByRole('group', { name: /URL ending/ })
    await button.getByLabel('Value from').selectOption('constant')
    await button.getByLabel('Text', { exact: true }).fill('latest')
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved')
    const previews = page.getByTestId('contact-previews')
    await expect(previews).toContainText('Hi Customer, your order #1042 is on its way.')
    // A sample of the eligible contacts, each with their own number.
    const shownNumbers = waIds.slice(0, 11).map((w) => displayPhone(w).replace(/[+]/g, '\\+'))
    await expect(previews).toContainText(new RegExp(shownNumbers.join('|')))
    await expect(page.getByTestId('missing-values')).toHaveCount(0)

    await page.getByRole('button', { name: 'Next: Schedule' }).click()
    await expect(page.getByRole('radio', { name: 'As soon as it is launched' })).toBeChecked()
    await page.getByRole('button', { name: 'Next: Review' }).click()
    await expect(page.getByTestId('estimate-duration')).toBeVisible()
    await expect(page.getByTestId('estimate-cost')).toBeVisible()
    await expect(page.getByTestId('launch-problems')).toHaveCount(0)
    await expect(page.getByTestId('eligible-count')).toHaveText('11')
    await page.screenshot({ path: 'test-results/screenshots/campaign-wizard.png', fullPage: true })

    const id = page.url().split('/').at(-2)!
    await page.getByRole('button', { name: 'Launch campaign' }).click()
    await page.waitForURL(`**/campaigns/${id}`, firstVisit)
    await expect(page.getByTestId('campaign-status')).toHaveText('completed', { timeout: 60_000 })
    const progress = page.getByTestId('campaign-progress')
    await expect(progress).toHaveAttribute('aria-valuemax', '12')
    await expect(progress).toHaveAttribute('aria-valuenow', '12')
    await expect(page.getByTestId('funnel-sent')).toHaveText('11')
    await expect(page.getByTestId('funnel-skipped')).toHaveText('1')
    await expect(page.getByTestId('funnel-delivered')).toHaveText('11', { timeout: 20_000 })
    // The recipients table follows Meta's statuses live, after the campaign completed too, with no reload.
    const recipientRows = page.getByRole('table', { name: 'Recipients' }).locator('tbody tr')
    await expect(recipientRows.filter({ hasText: /delivered|read/ })).toHaveCount(11, { timeout: 20_000 })
    await expect(recipientRows.filter({ hasText: /queued/ })).toHaveCount(0)
    await page.screenshot({ path: 'test-results/screenshots/campaign-page.png', fullPage: true })

    const sent = await sentTo(page.request, waIds)
    expect(sent.map((s) => s.waId).sort()).toEqual(waIds.slice(0, 11).sort())
    const text = JSON.stringify(sent[0]!.body)
    for (const value of ['"text":"Customer"', '"text":"#1042"', '"text":"latest"']) expect(text).toContain(value)
    expect(errors).toEqual([])
  } finally {
    await removeCampaignTrail(page.request, db, demo.tenantId, undefined, tag)
    await forgetReached(db, demo.portfolio, waIds)
  }
})

test('5,000 recipients with 1 % undeliverable: every one messaged once and the page’s funnel equals the emulator’s records', async ({ page }) => {
  test.setTimeout(300_000)
  const tag = uniqueTag('bulk')
  const waIds = await seedContacts(db, demo.tenantId, tag, 5_000)
  const failing = waIds.filter((_, i) => i % 100 === 42)
  const restore = [
    await setThroughput(page.request, db, demo.numberId, BULK_MPS),
    await setMessagingLimit(db, demo.accountId, { tier: 'TIER_UNLIMITED' }),
    await makeUndeliverable(page.request, failing),
    await withoutReadReceipts(page.request),
  ]
  let id: string | undefined
  try {
    const request = await signedIn(page)
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    await expect.poll(() => statusOf(request, id!), { timeout: 180_000, intervals: [1_000] }).toBe('completed')
    // Delivery reports trail the sends.
    await expect
      .poll(async () => (await campaignState(request, id!)).funnel, { timeout: 60_000, intervals: [1_000] })
      .toMatchObject({ delivered: 4_950, failed: 50, waiting: 0 })

    const sent = await sentTo(request, waIds)
    const counts = perCustomer(sent)
    expect(counts.size).toBe(5_000)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    const failures = sent.filter((s) => s.failure)
    expect(failures.map((s) => s.waId).sort()).toEqual([...failing].sort())
    const accepted = sent.length - failures.length

    await page.goto(`/campaigns/${id}`)
    await expect(page.getByTestId('funnel-sent')).toHaveText(en(accepted), { timeout: 15_000 })
    await expect(page.getByTestId('funnel-delivered')).toHaveText(en(accepted))
    await expect(page.getByTestId('funnel-failed')).toHaveText(en(failures.length))
    await expect(page.getByTestId('funnel-skipped')).toHaveText('0')
    await expect(page.getByTestId('failure-131026')).toContainText('50')
    await expect(page.getByTestId('campaign-progress')).toHaveAttribute('aria-valuenow', '5000')
  } finally {
    await removeCampaignTrail(page.request, db, demo.tenantId, id, tag)
    for (const undo of restore.reverse()) await undo()
  }
})

test('pause stops the sends within 2 s, resume finishes with each recipient messaged once', async ({ page }) => {
  test.setTimeout(180_000)
  const tag = uniqueTag('pause')
  const waIds = await seedContacts(db, demo.tenantId, tag, RUN)
  const restore = [await setThroughput(page.request, db, demo.numberId, 20), await setMessagingLimit(db, demo.accountId, { tier: 'TIER_UNLIMITED' })]
  let id: string | undefined
  try {
    const request = await signedIn(page)
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    await page.goto(`/campaigns/${id}`)
    await expect(page.getByTestId('campaign-status')).toHaveText('running', firstVisit)
    await expect.poll(async () => (await sentTo(request, waIds)).length, { timeout: 30_000 }).toBeGreaterThan(20)

    await page.getByRole('button', { name: 'Pause' }).click()
    await expect(page.getByTestId('campaign-status')).toHaveText('paused', { timeout: 15_000 })
    await expect(page.getByTestId('paused-reason')).toContainText('Paused by')
    await sleep(2_000)
    const { first, then } = await sentCountSettles(request, waIds, 3_000)
    expect(then).toBe(first)
    expect(first).toBeLessThan(RUN)

    await page.getByRole('button', { name: 'Resume' }).click()
    await expect(page.getByTestId('campaign-status')).toHaveText('completed', { timeout: 100_000 })
    const counts = perCustomer(await sentTo(request, waIds))
    expect(counts.size).toBe(RUN)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  } finally {
    await removeCampaignTrail(page.request, db, demo.tenantId, id, tag)
    for (const undo of restore.reverse()) await undo()
  }
})

test('cancel mid-run sends nothing more and leaves everyone not yet messaged skipped', async ({ page }) => {
  test.setTimeout(120_000)
  const tag = uniqueTag('cancel')
  const waIds = await seedContacts(db, demo.tenantId, tag, RUN)
  const restore = [await setThroughput(page.request, db, demo.numberId, 20), await setMessagingLimit(db, demo.accountId, { tier: 'TIER_UNLIMITED' })]
  let id: string | undefined
  try {
    const request = await signedIn(page)
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    await page.goto(`/campaigns/${id}`)
    await expect(page.getByTestId('campaign-status')).toHaveText('running', firstVisit)
    await expect.poll(async () => (await sentTo(request, waIds)).length, { timeout: 30_000 }).toBeGreaterThan(20)

    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Cancel campaign' }).click()
    await expect(page.getByTestId('campaign-status')).toHaveText('cancelled', { timeout: 15_000 })
    await sleep(2_000)
    const { first: messaged, then } = await sentCountSettles(request, waIds, 3_000)
    expect(then).toBe(messaged)
    expect(messaged).toBeLessThan(RUN)
    expect([...perCustomer(await sentTo(request, waIds)).values()].every((n) => n === 1)).toBe(true)
    await expect
      .poll(async () => (await campaignState(request, id!)).funnel, { timeout: 20_000 })
      .toMatchObject({ total: RUN, waiting: 0, sent: messaged, failed: 0, skipped: RUN - messaged })
    await expect(page.getByTestId('funnel-skipped')).toHaveText(en(RUN - messaged), { timeout: 15_000 })
  } finally {
    await removeCampaignTrail(page.request, db, demo.tenantId, id, tag)
    for (const undo of restore.reverse()) await undo()
  }
})

test('a recipient who sends STOP before their turn gets only the opt-out confirmation', async ({ request }) => {
  test.setTimeout(120_000)
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const tag = uniqueTag('optout')
  const waIds = await seedContacts(db, demo.tenantId, tag, 200)
  const restore = [await setThroughput(request, db, demo.numberId, 20), await setMessagingLimit(db, demo.accountId, { tier: 'TIER_UNLIMITED' })]
  let id: string | undefined
  try {
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    // The feeder takes recipients in id order: the last of them waits about ten seconds at 20 a second.
    const [victim] = await db.sql<{ waId: string; contactId: string }[]>`
      select ct.wa_id as "waId", ct.id as "contactId" from public.campaign_recipients r join public.contacts ct on ct.id = r.contact_id
      where r.campaign_id = ${id} order by r.id desc limit 1`
    await injectInbound(request, { from: victim!.waId, type: 'text', text: { body: 'STOP' } })
    await expect
      .poll(async () => (await db.sql`select 1 from public.contacts where id = ${victim!.contactId} and opted_out_at is not null`).length, { timeout: 15_000 })
      .toBe(1)
    await expect.poll(() => statusOf(request, id!), { timeout: 60_000, intervals: [1_000] }).toBe('completed')

    const toVictim = await sentTo(request, [victim!.waId])
    expect(toVictim.map((s) => s.type)).toEqual(['text'])
    expect(JSON.stringify(toVictim[0]!.body)).toContain('You have been unsubscribed')
    const [recipient] = await db.sql<{ status: string; skipReason: string }[]>`
      select status, skip_reason as "skipReason" from public.campaign_recipients where campaign_id = ${id} and contact_id = ${victim!.contactId}`
    expect(recipient).toEqual({ status: 'skipped', skipReason: 'opted_out' })
    const others = perCustomer((await sentTo(request, waIds)).filter((s) => s.waId !== victim!.waId))
    expect(others.size).toBe(199)
    expect([...others.values()].every((n) => n === 1)).toBe(true)
  } finally {
    await removeCampaignTrail(request, db, demo.tenantId, id, tag)
    for (const undo of restore.reverse()) await undo()
  }
})

test('the messaging limit holds a campaign at the customers it has room for, and the page says why the rest wait', async ({ page }) => {
  test.setTimeout(120_000)
  const tag = uniqueTag('limit')
  const waIds = await seedContacts(db, demo.tenantId, tag, ROOM + 100)
  // Customers other specs reached today count against the limit too: the room left is exactly ROOM.
  const used = await portfolioUsed(db, demo.portfolio)
  const restore = [
    await setThroughput(page.request, db, demo.numberId, 20),
    await setMessagingLimit(db, demo.accountId, { limit: used + ROOM }),
    await withoutReadReceipts(page.request),
  ]
  let id: string | undefined
  try {
    const request = await signedIn(page)
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    await page.goto(`/campaigns/${id}`)
    await expect.poll(async () => (await sentTo(request, waIds)).length, { timeout: 60_000 }).toBe(ROOM)
    await sleep(3_000)
    expect((await sentTo(request, waIds)).length).toBe(ROOM)
    await expect(page.getByTestId('campaign-status')).toHaveText('running')
    await expect(page.getByTestId('waiting-reason')).toContainText(`messaging limit of ${en(used + ROOM)} customers per 24 hours is reached`, { timeout: 15_000 })
    await expect(page.getByTestId('waiting-reason')).toContainText('(100 waiting)')
    expect((await campaignState(request, id)).funnel).toMatchObject({ waiting: 100, queued: 0 })
  } finally {
    await removeCampaignTrail(page.request, db, demo.tenantId, id, tag)
    for (const undo of restore.reverse()) await undo()
    await forgetReached(db, demo.portfolio, waIds)
  }
})

test('the scheduled start refuses a forged or missing QStash signature', async ({ request, baseURL }) => {
  const START = '/api/campaigns/start-scheduled'
  const body = JSON.stringify({ campaignId: '00000000-0000-4000-8000-000000000000', scheduledAt: new Date().toISOString() })
  const url = new URL(START, baseURL).toString()
  const post = (signature?: string) => request.post(START, { data: body, headers: { 'content-type': 'application/json', ...(signature ? { 'upstash-signature': signature } : {}) } })

  expect((await post()).status()).toBe(401)
  const forged = await post(await qstashSignature('sig_not-our-signing-key-at-all', body, url))
  expect(forged.status()).toBe(401)
  expect((await forged.json()).error.code).toBe('unauthenticated')
  // Signed with our key it is accepted, and starts nothing: no campaign is scheduled at that time.
  const genuine = await post(await qstashSignature(qstashKeys().current, body, url))
  expect(genuine.status(), await genuine.text()).toBe(200)
  expect(await genuine.json()).toEqual({ started: false })
})

test('a worker killed mid-campaign: its replacement finishes, nobody messaged twice and nobody skipped', async ({ request }) => {
  test.setTimeout(240_000)
  expect((await request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const tag = uniqueTag('crash')
  const waIds = await seedContacts(db, demo.tenantId, tag, 400)
  const restore = [await setThroughput(request, db, demo.numberId, 20), await setMessagingLimit(db, demo.accountId, { tier: 'TIER_UNLIMITED' })]
  let id: string | undefined
  let replacement: ReturnType<typeof startWorker> | undefined
  try {
    id = await createCampaignViaApi(request, demo, tag)
    await launchViaApi(request, id)
    await expect.poll(async () => (await sentTo(request, waIds)).length, { timeout: 30_000 }).toBeGreaterThan(80)

    const env = killStackWorker()
    // Short waits for the dead worker's sends whose outcome was lost, so the run ends in about a minute.
    replacement = startWorker({ ...env, SEND_VISIBILITY_MS: '8000', SEND_IN_DOUBT_MS: '8000' })
    await expect.poll(() => statusOf(request, id!), { timeout: 180_000, intervals: [1_000] }).toBe('completed')

    const counts = perCustomer(await sentTo(request, waIds))
    expect(counts.size).toBe(400)
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([])
    await expect
      .poll(async () => (await campaignState(request, id!)).funnel, { timeout: 30_000 })
      .toMatchObject({ total: 400, waiting: 0, sent: 400, failed: 0, skipped: 0 })
    // The launcher started its own worker again, which stays for the specs after this one.
    expect(stackWorkers([replacement.pid]).length).toBeGreaterThan(0)
  } finally {
    await removeCampaignTrail(request, db, demo.tenantId, id, tag)
    await replacement?.stop()
    for (const undo of restore.reverse()) await undo()
  }
})
