// Two agents of one workspace on the same conversation, each in their own browser: each sees the
// other's reply, assignment and private note appear without reloading.
import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { DEMO, signInWithForm, signUpViaApi } from './support/accounts'
import { collectConsoleErrors } from './support/console-errors'
import { injectInbound } from './support/meta'

const LIVE = { timeout: 8_000 }

test('two agents see each other’s replies, assignment and notes live', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000)
  const errors: string[] = []

  // A second agent joins the demo workspace through an invitation.
  const agentContext = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } })
  const agent = await agentContext.newPage()
  collectConsoleErrors(agent, errors)
  const name = `agent-${randomBytes(2).toString('hex')}`
  const joined = await signUpViaApi(agent.request, name)
  const owner = await browser.newContext({ baseURL })
  expect((await owner.request.post('/api/auth/login', { data: DEMO })).ok()).toBe(true)
  const invite = await owner.request.post('/api/invitations', { data: { email: joined.email, role: 'agent' } })
  expect(invite.status(), await invite.text()).toBe(201)
  const token = new URL((await invite.json()).inviteUrl).pathname.split('/').pop()
  expect((await agent.request.post('/api/invitations/accept', { data: { token } })).ok()).toBe(true)

  // A customer writes; both open the conversation.
  const waId = `4478${String(Date.now()).slice(-6)}${randomBytes(1)[0]! % 10}`
  await injectInbound(page.request, { from: waId, profileName: 'Two Agents Tess', type: 'text', text: { body: 'Can someone help?' } })
  let conversationId: string | undefined
  await expect
    .poll(async () => {
      const { conversations } = await (await owner.request.get(`/api/conversations?q=${waId}`)).json()
      conversationId = conversations[0]?.id
      return conversationId
    })
    .toBeTruthy()

  await page.setViewportSize({ width: 1440, height: 900 })
  collectConsoleErrors(page, errors)
  await signInWithForm(page, DEMO.email, DEMO.password)
  await page.goto(`/inbox?conversation=${conversationId}`)
  await agent.goto(`/inbox?conversation=${conversationId}`)
  const ownerLog = page.getByRole('log', { name: 'Messages' })
  const agentLog = agent.getByRole('log', { name: 'Messages' })
  await expect(ownerLog.getByText('Can someone help?')).toBeVisible()
  await expect(agentLog.getByText('Can someone help?')).toBeVisible()

  // The owner replies: the agent sees it.
  await page.getByRole('textbox', { name: 'Message' }).fill('On it — one moment.')
  await page.getByRole('textbox', { name: 'Message' }).press('Enter')
  await expect(agentLog.getByText('On it — one moment.')).toBeVisible(LIVE)

  // The owner hands the conversation to the agent: the agent's panel shows it as theirs.
  await page.getByLabel('Assignee').selectOption({ label: name })
  await expect(agent.getByLabel('Assignee')).toHaveValue(joined.userId, LIVE)

  // The agent leaves a private note: the owner sees it, marked private.
  await agent.getByRole('button', { name: 'Private note' }).click()
  await agent.getByRole('textbox', { name: 'Private note' }).fill('Customer is a regular — offer the loyalty discount.')
  await agent.getByRole('button', { name: 'Add note' }).click()
  await expect(ownerLog.getByText('Customer is a regular — offer the loyalty discount.')).toBeVisible(LIVE)

  // And the agent resolves it: the owner's status select follows.
  await agent.getByRole('combobox', { name: 'Status', exact: true }).selectOption('resolved')
  await expect(page.getByRole('combobox', { name: 'Status', exact: true })).toHaveValue('resolved', LIVE)

  expect(errors).toEqual([])
  await agentContext.close()
  await owner.close()
})
