// A workspace with several WhatsApp numbers and many pending template messages, written in bulk, and the
// matching numbers registered at a Meta emulator: the load on which the send engine is measured.
import { spawn } from 'node:child_process'
import type { Db } from '@/server/db/create-db'
import { sealAccessToken } from '@/server/whatsapp/access-token'
import { seedTenant } from '../../integration/support/seed-tenant'
import { TEST_ENCRYPTION_KEY } from '../../integration/support/whatsapp-tenant'

export interface FleetNumber {
  phoneNumberId: string
  mps: number
  messages: number
}

// One WABA per fleet, derived from its first number so several fleets can share a database.
const wabaOf = (numbers: FleetNumber[]) => `9${numbers[0]!.phoneNumberId.slice(1)}`
const token = (phoneNumberId: string) => `EAAGload-token-${phoneNumberId}`

export interface FleetEmulator {
  url: string
  stop(): Promise<void>
}

/**
 * The Meta emulator in its own process, as Meta is in production: its clock and event loop are not
 * the worker's, so a busy worker cannot make it count sends late (or early).
 */
export async function startFleetEmulator(numbers: FleetNumber[], options: { pairRateWindowMs?: number; pairRateBurst?: number } = {}): Promise<FleetEmulator> {
  const registered = numbers.map((n) => ({
    phoneNumberId: n.phoneNumberId,
    wabaId: wabaOf(numbers),
    accessToken: token(n.phoneNumberId),
    displayPhoneNumber: `+44 7700 ${n.phoneNumberId.slice(-6)}`,
    verifiedName: 'Load Test Ltd',
    mps: n.mps,
    messagingLimitTier: 'TIER_UNLIMITED',
  }))
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/meta-emulator/main.ts'], {
    env: { ...process.env, META_EMULATOR_PORT: '0', META_EMULATOR_NUMBERS: JSON.stringify(registered) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-2_000)
      const found = /listening on (http:\/\/\S+)/.exec(seen)
      if (found) resolve(found[1]!)
    })
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)))
  })
  // No webhook receiver: the load is on sending; statuses would only add noise here.
  const res = await fetch(`${url}/control/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ webhookUrl: null, pairRateWindowMs: options.pairRateWindowMs ?? 6_000, pairRateBurst: options.pairRateBurst ?? 45 }),
  })
  if (!res.ok) throw new Error(`configuring the emulator failed: ${await res.text()}`)
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}

/** Seeds the numbers and their pending messages, spread round-robin over `customersPerNumber[phoneNumberId]` customers (default: one per message). */
export async function seedFleet(
  db: Db,
  numbers: FleetNumber[],
  options: { customersPerNumber?: Record<string, number> } = {},
): Promise<{ tenantId: string; messages: { id: string; phoneNumberId: string }[] }> {
  const { tenantId } = await seedTenant(db, 'load')
  const messages: { id: string; phoneNumberId: string }[] = []
  await db.withService(async (tx) => {
    const [account] = await tx<{ id: string }[]>`
      insert into public.whatsapp_business_accounts (tenant_id, waba_id, messaging_limit_tier)
      values (${tenantId}, ${wabaOf(numbers)}, 'TIER_UNLIMITED') returning id`
    for (const [i, n] of numbers.entries()) {
      const [number] = await tx<{ id: string }[]>`
        insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, access_token_ciphertext, throughput_mps, status)
        values (${tenantId}, ${account!.id}, ${n.phoneNumberId}, ${sealAccessToken(token(n.phoneNumberId), n.phoneNumberId, TEST_ENCRYPTION_KEY)}, ${n.mps}, 'connected')
        returning id`
      const customers = options.customersPerNumber?.[n.phoneNumberId] ?? n.messages
      // One contact and conversation per customer, then the messages round-robin over them.
      const rows = await tx<{ id: string }[]>`
        with contacts as (
          insert into public.contacts (tenant_id, wa_id, name)
          select ${tenantId}, (${String(4470000000000 + i * 1_000_000)}::bigint + g)::text, 'Load ' || g from generate_series(1, ${customers}) g
          on conflict (tenant_id, wa_id) do update set name = excluded.name
          returning id, wa_id
        ), conversations as (
          insert into public.conversations (tenant_id, number_id, contact_id)
          select ${tenantId}, ${number!.id}, id from contacts
          returning id, contact_id
        ), numbered as (
          select cv.id as conversation_id, c.id as contact_id, c.wa_id, row_number() over (order by c.wa_id) - 1 as k
          from conversations cv join contacts c on c.id = cv.contact_id
        )
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, direction, type, status, content)
        select ${tenantId}, nb.conversation_id, ${number!.id}, nb.contact_id, 'outbound', 'template', 'pending',
               jsonb_build_object('messaging_product', 'whatsapp', 'recipient_type', 'individual', 'to', nb.wa_id, 'type', 'template',
                                  'template', jsonb_build_object('name', 'hello_world', 'language', jsonb_build_object('code', 'en_US')))
        from numbered nb cross join generate_series(0, ${Math.ceil(n.messages / customers) - 1}) r
        where nb.k + r * ${customers} < ${n.messages}
        returning id`
      messages.push(...rows.map((r) => ({ id: r.id, phoneNumberId: n.phoneNumberId })))
    }
  })
  return { tenantId, messages }
}

/** Outbound messages of the fleet's numbers by outcome (the tenant's fixture rows are not counted). */
export async function sentCounts(db: Db, numbers: FleetNumber[]) {
  const [row] = await db.sql<{ sent: number; failed: number; open: number }[]>`
    select count(*) filter (where m.status = 'sent')::int as sent, count(*) filter (where m.status = 'failed')::int as failed,
           count(*) filter (where m.status in ('pending', 'queued'))::int as open
    from public.messages m join public.whatsapp_numbers n on n.id = m.number_id
    where n.phone_number_id = any(${numbers.map((n) => n.phoneNumberId)}::text[]) and m.direction = 'outbound'`
  return row!
}
