// The team inbox in the browser, with the Meta emulator as the customer's phone: messages arrive live,
// the agent answers with text, an image and reply buttons, the customer taps a button and reacts, ticks
// reach read, a closed 24-hour window leaves only templates, and another workspace sees none of it.
import { randomBytes } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { DEMO, signInWithForm, signUpViaApi } from './support/accounts'
import { collectConsoleErrors } from './support/console-errors'
import { injectInbound } from './support/meta'

const customer = () => `4477${String(Date.now()).slice(-6)}${randomBytes(1)[0]! % 10}`
const LIVE = { timeout: 8_000 }

interface Message { id: string; direction: string; type: string; status: string; wamid: string | null }

/** A real PNG (solid colour), so the browser decodes what the chat shows. */
function png(size: number, [r, g, b]: [number, number, number]) {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())])
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))])
}

async function conversationIdOf(request: APIRequestContext, waId: string) {
  let id: string | undefined
  await expect
    .poll(async () => {
      const { conversations } = (await (await request.get(`/api/conversations?q=${waId}&limit=5`)).json()) as { conversations: { id: string; contactWaId: string }[] }
      id = conversations.find((c) => c.contactWaId === waId)?.id
      return Boolean(id)
    })
    .toBe(true)
  return id!
}

async function messageWith(request: APIRequestContext, conversationId: string, match: (m: Message) => boolean) {
  let found: Message | undefined
  await expect
    .poll(async () => {
      const { messages } = (await (await request.get(`/api/conversations/${conversationId}/messages`)).json()) as { messages: Message[] }
      found = messages.find((m) => match(m) && m.wamid !== null)
      return Boolean(found)
    })
    .toBe(true)
  return found!
}

// `next dev` compiles each route on first use; do it before the timings below are measured.
test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(120_000)
  const warm = await playwright.request.newContext({ baseURL })
  await warm.post('/api/auth/login', { data: DEMO })
  const { conversations } = (await (await warm.get('/api/conversations?limit=1')).json()) as { conversations: { id: string }[] }
  const id = conversations[0]?.id
  const paths = ['/inbox', '/api/numbers', '/api/templates', '/api/members', '/api/session', ...(id ? [`/api/conversations/${id}`, `/api/conversations/${id}/messages`] : [])]
  for (const path of paths) await warm.get(path)
  await warm.dispose()
})

test('an agent runs a whole WhatsApp conversation from the inbox, live, and another workspace never sees it', async ({ page, browser, baseURL }) => {
  test.setTimeout(150_000)
  const errors = collectConsoleErrors(page)
  const waId = customer()
  const name = `Inbox Iris ${randomBytes(2).toString('hex')}`
  await page.setViewportSize({ width: 1440, height: 900 })
  await signInWithForm(page, DEMO.email, DEMO.password)
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible({ timeout: 20_000 })

  // The customer writes: the conversation appears in the open inbox without a reload.
  await injectInbound(page.request, { from: waId, profileName: name, type: 'text', text: { body: 'Hi! Is the *oat* latte vegan?' } })
  const conversation = page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(name) })
  await expect(conversation).toBeVisible(LIVE)
  await conversation.click()
  await expect(page).toHaveURL(/\/inbox\?conversation=/)
  const conversationId = new URL(page.url()).searchParams.get('conversation')!
  const log = page.getByRole('log', { name: 'Messages' })
  await expect(log.getByText('Is the')).toBeVisible()
  await expect(log.locator('strong', { hasText: 'oat' })).toBeVisible()

  // ...then an image, which shows in the open chat as it arrives.
  await injectInbound(page.request, { from: waId, profileName: name, type: 'image', image: { caption: 'This cup', data: png(48, [200, 120, 40]).toString('base64'), mime_type: 'image/png' } })
  await expect(log.getByRole('img', { name: 'This cup' })).toBeVisible({ timeout: 8_000 })

  // The agent answers with text...
  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.fill('Yes — oat milk is 100% plant-based.')
  await composer.press('Enter')
  await expect(log.getByText('Yes — oat milk is 100% plant-based.')).toBeVisible()

  // ...an image with a caption, uploaded through the attachment button...
  await page.getByLabel('Attachment file').setInputFiles({ name: 'menu.png', mimeType: 'image/png', buffer: png(64, [16, 150, 105]) })
  await page.getByRole('textbox', { name: 'Caption' }).fill('Our menu')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(log.getByRole('img', { name: 'Our menu' })).toBeVisible({ timeout: 20_000 })
  await log.locator('article', { hasText: 'Our menu' }).getByRole('button', { name: 'Open the image full size' }).click()
  const viewer = page.getByRole('dialog', { name: 'Our menu' })
  await expect(viewer.getByRole('img', { name: 'Our menu' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(viewer).toBeHidden()

  // ...and reply buttons built in the interactive builder.
  await page.getByRole('button', { name: 'More message types' }).click()
  await page.getByRole('menuitem', { name: 'Buttons or list' }).click()
  const builder = page.getByRole('dialog', { name: 'Interactive message' })
  await builder.getByLabel('Body').fill('Which milk would you like?')
  await builder.getByLabel('Button 1 title').fill('Oat')
  await builder.getByRole('button', { name: 'Add button' }).click()
  await builder.getByLabel('Button 2 title').fill('Soy')
  await builder.getByRole('button', { name: 'Send interactive message' }).click()
  await expect(builder).toBeHidden()
  await expect(log.getByText('Which milk would you like?')).toBeVisible()

  // The customer taps "Soy" (a reply to the buttons) and reacts to the agent's text; both show live.
  const text = await messageWith(page.request, conversationId, (m) => m.direction === 'outbound' && m.type === 'text')
  const buttons = await messageWith(page.request, conversationId, (m) => m.type === 'interactive' && m.direction === 'outbound')
  await injectInbound(page.request, { from: waId, profileName: name, type: 'interactive', context: { id: buttons.wamid!, from: '15550100001' }, interactive: { type: 'button_reply', button_reply: { id: 'option_2', title: 'Soy' } } })
  const tap = log.locator('article', { hasText: 'Button reply' })
  await expect(tap).toBeVisible(LIVE)
  await expect(tap.getByRole('button', { name: 'Replying to: Which milk would you like?' })).toBeVisible()
  await injectInbound(page.request, { from: waId, profileName: name, type: 'reaction', reaction: { message_id: text.wamid!, emoji: '👍' } })
  await expect(page.locator(`#message-${text.id}`).getByLabel('Customer reacted 👍')).toBeVisible(LIVE)

  // Meta's statuses move every agent message to read (blue ticks).
  for (const body of ['Yes — oat milk is 100% plant-based.', 'Our menu', 'Which milk would you like?'])
    await expect(log.locator('article', { hasText: body }).getByRole('img', { name: 'Read' })).toBeVisible({ timeout: 15_000 })
  await expect(page.getByText(/Window closes in \d+h/)).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/chat.png' })

  // The details panel shows the contact and links to their page.
  await expect(page.getByRole('complementary', { name: 'Conversation details' }).getByRole('link', { name: 'Open contact' })).toHaveAttribute('href', /\/contacts\//)

  // A customer whose last message is 25 hours old: the composer offers only templates, and one goes out.
  const lateWaId = customer()
  await injectInbound(page.request, { from: lateWaId, profileName: 'Late Leo', type: 'text', text: { body: 'Hello from yesterday' }, timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 })
  const lateId = await conversationIdOf(page.request, lateWaId)
  expect((await page.request.post('/api/templates/sync')).status()).toBe(200)
  await page.goto(`/inbox?conversation=${lateId}`)
  await expect(page.getByText('The 24-hour window is closed.')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'More message types' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Choose a template' }).click()
  const picker = page.getByRole('dialog', { name: 'Send a template' })
  await picker.getByLabel('Template', { exact: true }).selectOption({ label: 'order_update (en_US) · utility' })
  await picker.getByLabel('Body {{1}}').fill('Leo')
  await picker.getByLabel('Body {{2}}').fill('#2042')
  await picker.getByLabel('“Track order” URL ending').fill('2042')
  await expect(picker.getByRole('figure', { name: 'Message preview' })).toContainText('Hi Leo, your order #2042 is on its way.')
  await picker.getByRole('button', { name: 'Send template' }).click()
  await expect(picker).toBeHidden()
  const sentTemplate = page.getByRole('log', { name: 'Messages' }).locator('article', { hasText: 'Template · order_update' })
  await expect(sentTemplate).toContainText('Hi Leo, your order #2042 is on its way.')
  await expect(sentTemplate.getByRole('img', { name: /Delivered|Read/ })).toBeVisible({ timeout: 15_000 })

  await page.goto('/inbox')
  await page.getByRole('tab', { name: 'All' }).click()
  await expect(page.getByRole('link', { name: new RegExp(name) })).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/inbox.png' })
  expect(errors).toEqual([])

  // Another workspace: neither its list nor the URL reveals tenant A's conversation.
  const other = await browser.newContext({ baseURL })
  const stranger = await other.newPage()
  const strangerErrors = collectConsoleErrors(stranger)
  await signUpViaApi(other.request, 'inbox-stranger')
  await stranger.goto('/inbox')
  await stranger.getByRole('tab', { name: 'All' }).click()
  await expect(stranger.getByText('No conversations yet')).toBeVisible()
  await expect(stranger.getByText(name)).toHaveCount(0)
  await stranger.goto(`/inbox?conversation=${conversationId}`)
  await expect(stranger.getByText('This conversation does not exist in this workspace.')).toBeVisible()
  await expect(stranger.getByText('Is the')).toHaveCount(0)
  await expect(stranger.getByText(name)).toHaveCount(0)
  // The browser reports the refused lookup itself (404); nothing else may go wrong.
  expect(strangerErrors.filter((e) => !/status of 404/.test(e))).toEqual([])
  await other.close()
})

test('on a phone the inbox is one column: the list, then the chat with a way back', async ({ page }) => {
  const errors = collectConsoleErrors(page)
  await page.setViewportSize({ width: 375, height: 760 })
  const waId = customer()
  const pia = `Phone Pia ${randomBytes(2).toString('hex')}`
  await injectInbound(page.request, { from: waId, profileName: pia, type: 'text', text: { body: 'Hello from a small screen' } })
  await signInWithForm(page, DEMO.email, DEMO.password)
  const row = page.getByRole('link', { name: new RegExp(pia) })
  await expect(row).toBeVisible({ timeout: 15_000 })
  await row.click()
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('Hello from a small screen')).toBeVisible({ timeout: 15_000 })
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeHidden()
  await page.screenshot({ path: 'test-results/screenshots/chat-phone.png' })
  await page.getByRole('link', { name: 'Back to conversations' }).click()
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible()
  expect(errors).toEqual([])
})

test('search finds a conversation by message text, and the keyboard drives the rest', async ({ page }) => {
  const errors = collectConsoleErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
  const word = `cardamom${randomBytes(2).toString('hex')}`
  const sam = `Search Sam ${randomBytes(2).toString('hex')}`
  await injectInbound(page.request, { from: customer(), profileName: sam, type: 'text', text: { body: `Do you sell ${word} buns?` } })
  await signInWithForm(page, DEMO.email, DEMO.password)
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible({ timeout: 20_000 })

  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused()
  await page.keyboard.type(word)
  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('link')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText(sam)
  await expect(rows.first().locator('mark')).toContainText(word)

  // Leave the field (Esc would also clear a search box) so the next keys are shortcuts.
  await page.getByRole('searchbox', { name: 'Search conversations' }).blur()
  await page.keyboard.press('j')
  await expect(page).toHaveURL(/conversation=/)
  await expect(page.getByRole('log', { name: 'Messages' }).getByText(`Do you sell ${word} buns?`)).toBeVisible()

  await page.keyboard.press('a')
  await expect(page.locator('header').getByText('· Demo Owner')).toBeVisible()
  await page.keyboard.press('n')
  const note = page.getByRole('textbox', { name: 'Private note' })
  await expect(note).toBeFocused()
  await note.fill('Call back tomorrow morning')
  await note.press('Enter')
  await expect(page.getByRole('log', { name: 'Messages' }).locator('article', { hasText: 'Private note' })).toContainText('Call back tomorrow morning')

  await page.keyboard.press('Escape')
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()
  await page.keyboard.press('e')
  await expect(page.getByText('resolved', { exact: true })).toBeVisible()
  expect(errors).toEqual([])
})
