// Signing webhooks as Meta does, with the app secret the e2e stack generated for itself.
import { readFileSync } from 'node:fs'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'

export const appSecret = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).META_APP_SECRET as string
const localSecret = (name: string) => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8'))[name] as string
export const qstashKeys = () => ({ current: localSecret('QSTASH_CURRENT_SIGNING_KEY'), next: localSecret('QSTASH_NEXT_SIGNING_KEY') })
export const opsToken = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).OPS_TOKEN as string
export const verifyToken = () => JSON.parse(readFileSync('.data/e2e/local-secrets.json', 'utf8')).META_VERIFY_TOKEN as string
export const signed = (body: string, secret = appSecret()) => ({ 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, secret) })

export const DEMO_NUMBER = { phoneNumberId: '106540352242922', wabaId: '104857293847561', token: 'demo-access-token' }

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
