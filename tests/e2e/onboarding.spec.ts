import { expect, test } from '@playwright/test'
import { PASSWORD, signInWithForm, uniqueEmail } from './support/accounts'

test('an owner signs up, sees the empty inbox, invites an agent who joins, and both sign out', async ({ page, browser }) => {
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  const ownerEmail = uniqueEmail('owner')

  await page.goto('/signup')
  await page.getByLabel('Your name').fill('Olivia Owner')
  await page.getByLabel('Work email').fill(ownerEmail)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByLabel('Company name').fill('Olivia\'s "Bakery" <b>&</b>')
  await page.getByRole('button', { name: 'Create workspace' }).click()

  await page.waitForURL('**/inbox')
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await expect(page.getByText('No conversations yet')).toBeVisible()
  await expect(page.getByLabel('Workspace')).toContainText('Olivia\'s "Bakery" <b>&</b>')
  await page.screenshot({ path: 'test-results/screens/inbox-empty.png', fullPage: true })

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('**/login')
  await signInWithForm(page, ownerEmail, PASSWORD)

  await page.getByRole('link', { name: 'Members' }).click()
  await expect(page.getByRole('cell', { name: ownerEmail })).toBeVisible()
  const agentEmail = uniqueEmail('agent')
  await page.getByLabel('Email address').fill(agentEmail)
  await page.getByLabel('Role').selectOption('agent')
  await page.getByRole('button', { name: 'Send invite' }).click()
  const link = await page.getByLabel('Invitation link').inputValue()
  expect(link).toMatch(/\/invite\/[\w-]{40,}$/)
  await expect(page.getByRole('cell', { name: agentEmail })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/members-invite.png', fullPage: true })

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('**/login')
  await page.goto('/inbox')
  await page.waitForURL('**/login**')

  // The invited agent, in a separate browser session, joins through the link.
  const agent = await (await browser.newContext()).newPage()
  await agent.goto(new URL(link).pathname)
  await expect(agent.getByRole('heading', { name: /Join Olivia/ })).toBeVisible()
  await expect(agent.getByLabel('Work email')).toHaveValue(agentEmail)
  await agent.getByLabel('Your name').fill('Adam Agent')
  await agent.getByLabel('Password').fill(PASSWORD)
  await agent.getByRole('button', { name: 'Create account and join' }).click()
  await agent.waitForURL('**/inbox')
  await expect(agent.getByText('Your role: agent')).toBeVisible()

  await agent.getByRole('link', { name: 'Members' }).click()
  await expect(agent.getByRole('cell', { name: agentEmail })).toBeVisible()
  await expect(agent.getByRole('cell', { name: ownerEmail })).toBeVisible()
  // Agents do not get the invite form, and the API refuses them too.
  await expect(agent.getByRole('form', { name: 'Invite a member' })).toHaveCount(0)
  const denied = await agent.request.post('/api/invitations', { data: { email: uniqueEmail('x'), role: 'agent' } })
  expect(denied.status()).toBe(403)
  await agent.getByRole('button', { name: 'Sign out' }).click()
  await agent.waitForURL('**/login')

  // The link cannot be used twice.
  await agent.goto(new URL(link).pathname)
  await expect(agent.getByText('expired or was already used')).toBeVisible()
  expect(errors).toEqual([])
})
