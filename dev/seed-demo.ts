// Demo data for local runs: a platform-admin owner, a workspace with a WhatsApp number, contacts and
// a few conversations. Idempotent: does nothing when the demo user already exists.
import { sealAccessToken } from '@/server/whatsapp/access-token'
import { hashPassword } from '@/server/auth/password-hash'
import type { JwtClaims } from '@/core/auth/claims'
import { createTenant } from '@/core/tenancy/create-tenant'
import type { Db } from '@/server/db/create-db'
import type { GraphDeps } from '@/server/whatsapp/deps'
import { syncTemplates } from '@/server/whatsapp/template-actions'

export const DEMO_EMAIL = 'demo@conversa.local'
export const DEMO_PASSWORD = 'conversa-demo'

const CONTACTS = [
  ['5511987650001', 'Ana Souza', 'Hi! Is my order #1042 on its way?', 'open', 2],
  ['5511987650002', 'Bruno Lima', 'Thanks, received it 👍', 'resolved', 0],
  ['4915112345678', 'Clara Becker', 'Can I change the delivery address?', 'open', 1],
  ['14155550123', 'Daniel Park', 'Do you ship to Canada?', 'pending', 0],
  ['447700900123', 'Emma Clarke', 'Photo of the damaged box attached', 'open', 3],
  ['5215512345678', 'Fernando Ruiz', '¿Tienen descuento por volumen?', 'open', 1],
] as const

export async function seedDemo(db: Db, encryptionKey: string): Promise<boolean> {
  const [existing] = await db.sql`select id from auth.users where email = ${DEMO_EMAIL}`
  if (existing) return false

  const [user] = await db.sql<{ id: string }[]>`
    insert into auth.users (email, encrypted_password, raw_app_meta_data, raw_user_meta_data)
    values (${DEMO_EMAIL}, ${await hashPassword(DEMO_PASSWORD)}, ${db.sql.json({ platform_admin: true })}, ${db.sql.json({ full_name: 'Demo Owner' })})
    returning id`
  const claims: JwtClaims = {
    sub: user!.id,
    email: DEMO_EMAIL,
    role: 'authenticated',
    aud: 'authenticated',
    exp: Math.floor(Date.now() / 1000) + 300,
    app_metadata: { platform_admin: true },
    user_metadata: { full_name: 'Demo Owner' },
  }

  // Seeded as the demo user, through RLS, exactly as the app would write it.
  await db.withUser(claims, async (tx) => {
    const tenantId = await createTenant(tx, { name: 'Demo Coffee Co.', timezone: 'America/Sao_Paulo' })
    const [account] = await tx<{ id: string }[]>`
      insert into public.whatsapp_business_accounts (tenant_id, waba_id, name, messaging_limit_tier)
      values (${tenantId}, '104857293847561', 'Demo Coffee Co.', 'TIER_2K') returning id`
    const [number] = await tx<{ id: string }[]>`
      insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, display_phone_number, verified_name,
                                           access_token_ciphertext, throughput_mps, quality_rating, status)
      values (${tenantId}, ${account!.id}, '106540352242922', '+1 555-010-0001', 'Demo Coffee Co.',
              ${sealAccessToken('demo-access-token', '106540352242922', encryptionKey)}, 80, 'GREEN', 'connected')
      returning id`
    for (const [i, [waId, name, preview, status, unread]] of CONTACTS.entries()) {
      const at = new Date(Date.now() - i * 47 * 60_000)
      const [contact] = await tx<{ id: string }[]>`
        insert into public.contacts (tenant_id, wa_id, name, profile_name, tags, last_inbound_at)
        values (${tenantId}, ${waId}, ${name}, ${name}, ${i % 2 ? ['vip'] : ['new']}, ${at}) returning id`
      const [conversation] = await tx<{ id: string }[]>`
        insert into public.conversations (tenant_id, number_id, contact_id, status, unread_count, last_message_at,
                                          last_message_preview, last_inbound_at, service_window_expires_at)
        values (${tenantId}, ${number!.id}, ${contact!.id}, ${status}, ${unread}, ${at}, ${preview}, ${at},
                ${new Date(at.getTime() + 24 * 3_600_000)}) returning id`
      await tx`
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, "timestamp")
        values (${tenantId}, ${conversation!.id}, ${number!.id}, ${contact!.id}, ${`wamid.demo.${waId}`}, 'inbound', 'text',
                'received', ${tx.json({ body: preview })}, ${at})`
    }
  })
  return true
}

/**
 * Fetches the demo workspace's templates from (emulated) Meta, as the Templates page's Sync does, so a
 * first run can send a template or start a campaign without looking for that button. Answers how many.
 */
export async function syncDemoTemplates(db: Db, deps: GraphDeps): Promise<number> {
  const [demo] = await db.sql<{ tenantId: string }[]>`
    select m.tenant_id as "tenantId" from public.memberships m join auth.users u on u.id = m.user_id where u.email = ${DEMO_EMAIL} limit 1`
  if (!demo) return 0
  await db.withService((tx) => syncTemplates(tx, demo.tenantId, deps))
  const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from public.templates where tenant_id = ${demo.tenantId}`
  return row!.count
}
