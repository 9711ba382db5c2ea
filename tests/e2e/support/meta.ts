// Signing webhooks as Meta does, with the app secret the e2e stack generated for itself.
import { readFileSync } from 'node:fs'
import { expect, type APIRequestContext } from '@playwright/test'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'

export const appSecret = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).META_APP_SECRET as string
const localSecret = (name: string) => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8'))[name] as string
export const qstashKeys = () => ({ current: localSecret('QSTASH_CURRENT_SIGNING_KEY'), next: localSecret('QSTASH_NEXT_SIGNING_KEY') })
export const opsToken = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).OPS_TOKEN as string
export const verifyToken = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).META_VERIFY_TOKEN as string
export const signed = (body: string, secret = appSecret()) => ({ 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, secret) })

export const DEMO_NUMBER = { phoneNumberId: '106540352242922', wabaId: '104857293847561', token: 'demo-access-token' }

/** The Meta emulator's control API: the customer's phone in these tests. */
export const EMULATOR = `http://127.0.0.1:${process.env.META_EMULATOR_PORT ?? 4010}`

/** A customer's message to the demo number, delivered by the emulator as Meta would deliver it. */
export async function injectInbound(request: APIRequestContext, message: Record<string, unknown>) {
  const res = await request.post(`${EMULATOR}/control/inbound`, { data: { phoneNumberId: DEMO_NUMBER.phoneNumberId, ...message } })
  expect(res.status(), await res.text()).toBe(200)
  return (await res.json()) as { wamid: string; delivered: boolean }
}

export function textWebhook(from: string, wamid: string, body: string, name = 'Test Customer') {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: DEMO_NUMBER.wabaId, changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550100001', phone_number_id: DEMO_NUMBER.phoneNumberId },
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
    } }] }],
  })
}
