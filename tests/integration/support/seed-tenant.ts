// Creates a user who owns a workspace with one row in every tenant table, written with the service
// connection. The RLS suite checks that this fixture covers every table it discovers, so a new table
// must be added here before the suite passes.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { JwtClaims } from '@/core/auth/claims'
import { createTenant } from '@/core/tenancy/create-tenant'
import type { Db } from '@/server/db/create-db'

export interface SeededTenant {
  tenantId: string
  userId: string
  email: string
  claims: JwtClaims
}

const hex = () => createHash('sha256').update(randomBytes(16)).digest('hex')
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('')

export function claimsFor(userId: string, email: string, appMetadata: Record<string, unknown> = {}): JwtClaims {
  return {
    sub: userId,
    email,
    role: 'authenticated',
    aud: 'authenticated',
    exp: Math.floor(Date.now() / 1000) + 600,
    app_metadata: appMetadata,
    user_metadata: {},
  }
}

export async function createUser(db: Db, label: string, appMetadata: Record<string, unknown> = {}) {
  const email = `${label}-${randomBytes(3).toString('hex')}@example.test`
  const [user] = await db.sql<{ id: string }[]>`
    insert into auth.users (email, raw_app_meta_data) values (${email}, ${db.sql.json(appMetadata as never)}) returning id`
  return { userId: user!.id, email, claims: claimsFor(user!.id, email, appMetadata) }
}

export async function seedTenant(db: Db, label: string): Promise<SeededTenant> {
  const user = await createUser(db, label)
  const tenantId = await db.withUser(user.claims, (tx) => createTenant(tx, { name: `${label} workspace`, timezone: 'UTC' }))

  await db.withService(async (tx) => {
    const [account] = await tx`insert into public.whatsapp_business_accounts (tenant_id, waba_id) values (${tenantId}, ${digits(15)}) returning id`
    const [number] = await tx`
      insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, access_token_ciphertext)
      values (${tenantId}, ${account!.id}, ${digits(15)}, 'v1.x.y.z') returning id`
    const [contact] = await tx`insert into public.contacts (tenant_id, wa_id, name) values (${tenantId}, ${digits(12)}, ${label}) returning id`
    const [template] = await tx`
      insert into public.templates (tenant_id, account_id, name, language, category)
      values (${tenantId}, ${account!.id}, 'order_update', 'en_US', 'UTILITY') returning id`
    const [campaign] = await tx`
      insert into public.campaigns (tenant_id, number_id, template_id, name) values (${tenantId}, ${number!.id}, ${template!.id}, 'launch') returning id`
    const [conversation] = await tx`
      insert into public.conversations (tenant_id, number_id, contact_id) values (${tenantId}, ${number!.id}, ${contact!.id}) returning id`
    const [message] = await tx`
      insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content, campaign_id)
      values (${tenantId}, ${conversation!.id}, ${number!.id}, ${contact!.id}, ${`wamid.${randomUUID()}`}, 'outbound', 'text', 'sent',
              ${tx.json({ body: 'hello' })}, ${campaign!.id}) returning id`
    await tx`insert into public.media (tenant_id, message_id, mime_type) values (${tenantId}, ${message!.id}, 'image/jpeg')`
    await tx`insert into public.campaign_recipients (tenant_id, campaign_id, contact_id, message_id) values (${tenantId}, ${campaign!.id}, ${contact!.id}, ${message!.id})`
    await tx`insert into public.campaign_audience_contacts (tenant_id, campaign_id, contact_id) values (${tenantId}, ${campaign!.id}, ${contact!.id})`
    await tx`insert into public.scheduled_messages (tenant_id, conversation_id, content, send_at) values (${tenantId}, ${conversation!.id}, ${tx.json({ body: 'later' })}, now() + interval '1 day')`
    // Already applied: a stored payload is the worker's queue, and this one is here only for the RLS checks.
    await tx`insert into public.webhook_events (tenant_id, payload, processed_at) values (${tenantId}, ${tx.json({ object: 'whatsapp_business_account' })}, now())`
    const [hook] = await tx`insert into public.outbound_webhooks (tenant_id, url, secret_ciphertext) values (${tenantId}, 'https://example.test/hook', 'v1.x.y.z') returning id`
    await tx`insert into public.webhook_deliveries (tenant_id, webhook_id, event, payload) values (${tenantId}, ${hook!.id}, 'message.received', ${tx.json({})})`
    await tx`insert into public.automations (tenant_id, name, trigger) values (${tenantId}, 'greet', ${tx.json({ on: 'message.received' })})`
    await tx`insert into public.api_keys (tenant_id, name, prefix, key_hash) values (${tenantId}, 'ci', 'cv_live_ab', ${hex()})`
    await tx`insert into public.invitations (tenant_id, email, token_hash) values (${tenantId}, ${`invitee-${label}@example.test`}, ${hex()})`
    await tx`insert into public.pending_statuses (tenant_id, wamid, status, "timestamp") values (${tenantId}, ${`wamid.${randomUUID()}`}, 'read', now())`
    await tx`insert into public.audit_log (tenant_id, actor_id, action) values (${tenantId}, ${user.userId}, 'seeded')`
    await tx`insert into public.contact_notes (tenant_id, contact_id, author_id, body) values (${tenantId}, ${contact!.id}, ${user.userId}, 'prefers mornings')`
    const [contactImport] = await tx`insert into public.contact_imports (tenant_id, created_by, file_name) values (${tenantId}, ${user.userId}, 'contacts.csv') returning id`
    await tx`insert into public.contact_import_keys (tenant_id, import_id, wa_id) values (${tenantId}, ${contactImport!.id}, ${digits(12)})`
    await tx`
      insert into public.push_subscriptions (tenant_id, user_id, endpoint, p256dh, auth)
      values (${tenantId}, ${user.userId}, ${`https://push.example.test/${label}-${hex()}`}, ${hex()}, ${hex().slice(0, 22)})`
  })
  return { tenantId, ...user }
}
