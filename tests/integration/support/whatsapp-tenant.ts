// A workspace that owns a WhatsApp Business Account and numbers with the ids the fixtures use.
import { randomBytes } from 'node:crypto'
import type { Db } from '@/server/db/create-db'
import { sealAccessToken } from '@/server/whatsapp/access-token'
import { seedTenant } from './seed-tenant'

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64')

export async function whatsappTenant(db: Db, label: string, account: { wabaId: string; numbers: { phoneNumberId: string; display: string; token?: string }[] }) {
  const tenant = await seedTenant(db, label)
  const [waba] = await db.sql<{ id: string }[]>`
    insert into public.whatsapp_business_accounts (tenant_id, waba_id) values (${tenant.tenantId}, ${account.wabaId}) returning id`
  const numbers: Record<string, string> = {}
  for (const n of account.numbers) {
    const [row] = await db.sql<{ id: string }[]>`
      insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, display_phone_number, access_token_ciphertext, status)
      values (${tenant.tenantId}, ${waba!.id}, ${n.phoneNumberId}, ${n.display},
              ${sealAccessToken(n.token ?? 'test-token', n.phoneNumberId, TEST_ENCRYPTION_KEY)}, 'connected')
      returning id`
    numbers[n.phoneNumberId] = row!.id
  }
  return { ...tenant, accountId: waba!.id, numbers }
}
