// The inbox benchmark's data: one workspace with BENCH_CONVERSATIONS conversations (one contact each,
// spread over four numbers, a mix of statuses, assignees, tags and unread) and BENCH_MESSAGES messages,
// in its own database on the local PostgreSQL. Seeded with set-based SQL; an already-seeded database
// of the same size is reused, so reruns start measuring at once.
import { createDb, type Db } from '@/server/db/create-db'
import { ChangedMigrationError, migrate } from '@/server/db/migrate'
import { createTenant } from '@/core/tenancy/create-tenant'
import { assertLocalDatabase, testDatabaseUrl, withDatabase } from '../integration/support/assert-local-database'
import { claimsFor } from '../integration/support/seed-tenant'
import type { JwtClaims } from '@/core/auth/claims'

export const AGENTS = 10
const NUMBERS = 4

export interface InboxSize {
  conversations: number
  messages: number
}

export interface SeededInbox {
  db: Db
  tenantId: string
  /** An agent of the workspace (assigned about a tenth of the conversations). */
  agent: { userId: string; claims: JwtClaims }
  reused: boolean
}

// Sentences draw most words from a short list of everyday ones (as chats do) and one from a long tail
// of rarer words (product names, places…), so searches can be measured for both kinds.
export const COMMON_WORDS = [
  'olá', 'obrigado', 'pedido', 'entrega', 'hoje', 'amanhã', 'quando', 'chega', 'preço', 'hello', 'thanks', 'order', 'delivery',
  'please', 'today', 'tomorrow', 'when', 'price', 'status', 'help', 'invoice', 'payment', 'hola', 'gracias', 'envío',
]
const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'te', 'su', 'no', 'vi', 'de', 'pa', 'ri', 'zo', 'bel', 'tor', 'san', 'gu']
/** The nth word of the long tail: three or four syllables, distinct for n below 16^4. */
export function tailWord(n: number): string {
  const s = (k: number) => SYLLABLES[Math.floor(n / 16 ** k) % 16]!
  return n < 4096 ? `${s(2)}${s(1)}${s(0)}` : `${s(3)}${s(2)}${s(1)}${s(0)}`
}
export const TAIL_WORDS = 20_000

export const FIRST_NAMES = ['Mariana', 'João', 'Ana', 'Pedro', 'Lucas', 'Juliana', 'Carlos', 'Fernanda', 'Rafael', 'Camila', 'Bruno', 'Larissa',
  'Diego', 'Patrícia', 'Gabriel', 'Beatriz', 'Thiago', 'Aline', 'Rodrigo', 'Letícia', 'James', 'Emma', 'Oliver', 'Sophia', 'Liam', 'Ava',
  'Noah', 'Mia', 'Ethan', 'Isabella', 'Mateo', 'Lucía', 'Hugo', 'Chloé', 'Arjun', 'Priya', 'Wei', 'Yuki', 'Omar', 'Fatima']
export const LAST_NAMES = ['Souza', 'Silva', 'Oliveira', 'Santos', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima',
  'Araújo', 'Fernandes', 'Carvalho', 'Gomes', 'Martins', 'Rocha', 'Ribeiro', 'Alves', 'Monteiro', 'Mendes', 'Smith', 'Johnson', 'Brown',
  'Garcia', 'Müller', 'Dubois', 'Rossi', 'Kowalski', 'Nguyen', 'Tanaka', 'Patel', 'Haddad', 'Okafor', 'Jensen', 'Novak', 'Romero',
  'Ivanova', 'Kim', 'Chen', 'Cohen', 'Larsen', 'Moreau', 'Schmidt', 'Bianchi', 'Andersen', 'Fischer', 'Weber', 'Horvat', 'Dimitrov', 'Ali']

/** The contact phone of conversation i: Brazilian, US and UK mobiles, digits only. */
export const phoneOf = (i: number) => [`55119${String(10_000_000 + i).slice(-8)}`, `1415${String(5_000_000 + i).slice(-7)}`, `447700${String(900_000 + i).slice(-6)}`][i % 3]!

const DB_NAME = 'conversa_bench_inbox'
// Bumped whenever the generated data changes, so a database seeded by older code is rebuilt.
const SEED_VERSION = 2

export async function seedInbox(size: InboxSize, log: (line: string) => void): Promise<SeededInbox> {
  const base = testDatabaseUrl()
  assertLocalDatabase(base)
  const url = withDatabase(base, DB_NAME)
  const admin = createDb(base, { max: 1 })
  try {
    const [exists] = await admin.sql`select 1 from pg_database where datname = ${DB_NAME}`
    if (exists) {
      const reused = await reuse(url, size)
      if (reused) return reused
      log(`${DB_NAME} holds another size or older migrations: rebuilding it`)
    }
    await admin.sql.unsafe(`drop database if exists ${DB_NAME} with (force)`)
    await admin.sql.unsafe(`create database ${DB_NAME}`)
  } finally {
    await admin.end()
  }
  const db = createDb(url, { max: 2 })
  await migrate(db.sql)
  const seeded = await seed(db, size, log)
  return { db, ...seeded, reused: false }
}

async function reuse(url: string, size: InboxSize): Promise<SeededInbox | null> {
  const db = createDb(url, { max: 2 })
  try {
    // New migrations apply on top; an edited one means the schema differs from what was seeded.
    await migrate(db.sql)
    const [marker] = await db.sql<{ tenantId: string; agentId: string; agentEmail: string; conversations: number; messages: number; version: number }[]>`
      select tenant_id as "tenantId", agent_id as "agentId", agent_email as "agentEmail", conversations, messages, version
      from bench.inbox_seed`.catch(() => [])
    if (marker && marker.version === SEED_VERSION && marker.conversations === size.conversations && marker.messages === size.messages)
      return { db, tenantId: marker.tenantId, agent: { userId: marker.agentId, claims: claimsFor(marker.agentId, marker.agentEmail) }, reused: true }
  } catch (error) {
    if (!(error instanceof ChangedMigrationError)) throw error
  }
  await db.end()
  return null
}

async function timed<T>(log: (line: string) => void, label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await fn()
  log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
}

async function seed(db: Db, size: InboxSize, log: (line: string) => void) {
  const { sql } = db
  const N = size.conversations
  log(`seeding ${N.toLocaleString()} conversations and ${size.messages.toLocaleString()} messages into ${DB_NAME}`)

  const users = await sql<{ id: string; email: string }[]>`
    insert into auth.users (email)
    select 'bench-user-' || g || '@example.test' from generate_series(0, ${AGENTS}) g
    returning id, email`
  const [owner, ...agents] = users
  const tenantId = await db.withUser(claimsFor(owner!.id, owner!.email), (tx) => createTenant(tx, { name: 'Inbox bench', timezone: 'America/Sao_Paulo' }))
  await sql`
    insert into public.memberships (tenant_id, user_id, role)
    select ${tenantId}, id, case when n = 1 then 'supervisor' else 'agent' end::public.member_role
    from unnest(${agents.map((a) => a.id)}::uuid[]) with ordinality as u(id, n)`
  await sql`
    insert into public.profiles (id, email, full_name)
    select u.id, u.email, 'Agent ' || n from unnest(${agents.map((a) => a.id)}::uuid[], ${agents.map((a) => a.email)}::text[]) with ordinality as u(id, email, n)`
  const [account] = await sql<{ id: string }[]>`
    insert into public.whatsapp_business_accounts (tenant_id, waba_id, messaging_limit_tier) values (${tenantId}, '900000000000001', 'TIER_10K') returning id`
  await sql`
    insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, display_phone_number, verified_name, access_token_ciphertext, status, quality_rating)
    select ${tenantId}, ${account!.id}, '9100000000000' || g, '+1 555-090-000' || g, 'Bench store ' || g, 'v1.x.y.z', 'connected', 'GREEN'
    from generate_series(1, ${NUMBERS}) g`

  // Everything below runs as one transaction: no flush per statement, and nobody sees half a seed.
  await db.withService(async (tx) => {
    await tx`set local synchronous_commit = off`
    await tx`set local maintenance_work_mem = '256MB'`
    const numberIds = (await tx<{ id: string }[]>`select id from public.whatsapp_numbers where tenant_id = ${tenantId} order by phone_number_id`).map((r) => r.id)
    await timed(log, 'contacts', () => tx`
      insert into public.contacts (tenant_id, wa_id, name, profile_name, tags)
      select ${tenantId},
             case g % 3 when 0 then '55119' || right((10000000 + g)::text, 8) when 1 then '1415' || right((5000000 + g)::text, 7)
                        else '447700' || right((900000 + g)::text, 6) end,
             -- A quarter are known only by the name they gave WhatsApp.
             case when g % 4 = 0 then null else (${FIRST_NAMES}::text[])[1 + g % ${FIRST_NAMES.length}] || ' ' || (${LAST_NAMES}::text[])[1 + (g / 7) % ${LAST_NAMES.length}] end,
             (${FIRST_NAMES}::text[])[1 + (g / 3) % ${FIRST_NAMES.length}] || ' ' || (${LAST_NAMES}::text[])[1 + (g / 11) % ${LAST_NAMES.length}],
             case when g % 50 = 0 then array['customer'] else '{}' end
      from generate_series(0, ${N - 1}) g`)

    // Conversation i belongs to contact i; the newest activity is i minutes ago, so list order is i order.
    await timed(log, 'conversations', () => tx`
      insert into public.conversations (tenant_id, number_id, contact_id, status, assignee_id, unread_count, last_message_at,
                                        last_message_preview, last_inbound_at, service_window_expires_at, tags)
      select ${tenantId}, (${numberIds}::uuid[])[1 + g % ${NUMBERS}], ct.id,
             case when h < 40 then 'open' when h < 60 then 'pending' when h < 90 then 'resolved' else 'closed' end,
             case when g % 10 < 3 then null else (${agents.map((a) => a.id)}::uuid[])[1 + g % ${AGENTS}] end,
             case when (g / 10) % 7 = 0 then 1 + g % 5 else 0 end,
             now() - g * interval '1 minute', 'Message ' || g,
             now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '24 hours',
             case when g % 20 = 0 then array['vip'] when g % 50 = 1 then array['billing', 'vip'] when g % 997 = 2 then array['escalated'] else '{}' end
      from (select g, (g * 37) % 100 as h from generate_series(0, ${N - 1}) g) s
      join public.contacts ct on ct.tenant_id = ${tenantId} and ct.wa_id = case g % 3 when 0 then '55119' || right((10000000 + g)::text, 8)
                                   when 1 then '1415' || right((5000000 + g)::text, 7) else '447700' || right((900000 + g)::text, 6) end`)

    await tx`
      create temporary table bench_conversations on commit drop as
      select (extract(epoch from now() - last_message_at) / 60)::int as ix, id, number_id, contact_id, last_message_at
      from public.conversations where tenant_id = ${tenantId}`
    await tx`create index on bench_conversations (ix)`
    await tx`analyze bench_conversations`

    // Message k belongs to conversation k % N; its rank r = k / N counts back from the newest (r = 0),
    // one minute apart. Every fifth message is a reply to the one before it in the same conversation.
    const CHUNK = 250_000
    for (let from = 0; from < size.messages; from += CHUNK) {
      const to = Math.min(size.messages, from + CHUNK) - 1
      await timed(log, `messages ${from.toLocaleString()}–${to.toLocaleString()}`, () => tx`
        insert into public.messages (tenant_id, conversation_id, number_id, contact_id, wamid, direction, type, status, content,
                                     reply_to_wamid, sent_by, "timestamp", sent_at, created_at)
        select ${tenantId}, c.id, c.number_id, c.contact_id, 'wamid.bench.' || k,
               case when k / ${N} % 2 = 0 then 'inbound' else 'outbound' end,
               case when k % 10 = 9 then 'image' else 'text' end,
               case when k / ${N} % 2 = 0 then 'received' when k % 50 = 1 then 'failed' else 'read' end,
               case when k / ${N} % 2 = 0 then
                      jsonb_build_object('type', case when k % 10 = 9 then 'image' else 'text' end, 'text', s.body)
                    when k % 10 = 9 then jsonb_build_object('type', 'image', 'image', jsonb_build_object('id', k::text, 'caption', s.body))
                    else jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', s.body)) end,
               case when k % 5 = 0 and k + ${N} < ${size.messages} then 'wamid.bench.' || (k + ${N}) end,
               case when k / ${N} % 2 = 1 then (${agents.map((a) => a.id)}::uuid[])[1 + k % ${AGENTS}] end,
               c.last_message_at - (k / ${N}) * interval '1 minute',
               case when k / ${N} % 2 = 1 then c.last_message_at - (k / ${N}) * interval '1 minute' end,
               c.last_message_at - (k / ${N}) * interval '1 minute'
        from generate_series(${from}::int, ${to}::int) k
        join bench_conversations c on c.ix = k % ${N}
        -- Words vary with both the conversation and the rank r = k / N, as they do in real chats.
        cross join lateral (select (k::bigint * 7919 % ${TAIL_WORDS} + (k / ${N}) * 4729)::int % ${TAIL_WORDS} as n, k / ${N} as r) t
        cross join lateral (
          select (${COMMON_WORDS}::text[])[1 + (k * 7 + t.r * 11) % ${COMMON_WORDS.length}] || ' ' ||
                 (${COMMON_WORDS}::text[])[1 + (k * 13 + t.r * 17 + 5) % ${COMMON_WORDS.length}] || ' ' ||
                 -- tailWord(n), spelled in SQL
                 case when t.n >= 4096 then (${SYLLABLES}::text[])[1 + (t.n / 4096) % 16] else '' end || (${SYLLABLES}::text[])[1 + (t.n / 256) % 16] ||
                 (${SYLLABLES}::text[])[1 + (t.n / 16) % 16] || (${SYLLABLES}::text[])[1 + t.n % 16] || ' ' ||
                 (${COMMON_WORDS}::text[])[1 + (k * 3 + t.r * 19 + 11) % ${COMMON_WORDS.length}] as body
        ) s`)
    }
    await tx`create schema if not exists bench`
    await tx`create table if not exists bench.inbox_seed (tenant_id uuid, agent_id uuid, agent_email text, conversations int, messages int, version int)`
    await tx`insert into bench.inbox_seed values (${tenantId}, ${agents[5]!.id}, ${agents[5]!.email}, ${N}, ${size.messages}, ${SEED_VERSION})`
  })
  await timed(log, 'vacuum analyze', () => sql`vacuum analyze`)
  const agent = agents[5]!
  return { tenantId, agent: { userId: agent.id, claims: claimsFor(agent.id, agent.email) } }
}
