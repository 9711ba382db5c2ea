// `npm run bench:inbox`: latency of the inbox's reads at 100k conversations / 1M messages in one
// workspace (BENCH_CONVERSATIONS, BENCH_MESSAGES). Each sample is what one request of the API does:
// an RLS transaction as a signed-in agent (db.withUser: claims, role `authenticated`, commit) around
// the same core function the route handler calls. Prints p50/p95/p99 per case against a 50 ms goal.
// Seeds its own database on the local PostgreSQL (tests/bench/seed-inbox.ts) and reuses it on reruns.
import { performance } from 'node:perf_hooks'
import { getConversation } from '@/core/inbox/get-conversation'
import { listConversations, listConversationsQuery } from '@/core/inbox/list-conversations'
import { listMessages, listMessagesQuery } from '@/core/inbox/list-messages'
import { percentile } from '../load/support/timing'
import { COMMON_WORDS, FIRST_NAMES, LAST_NAMES, phoneOf, seedInbox, tailWord, TAIL_WORDS } from './seed-inbox'

const SIZE = { conversations: Number(process.env.BENCH_CONVERSATIONS ?? 100_000), messages: Number(process.env.BENCH_MESSAGES ?? 1_000_000) }
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200)
const WARMUP = Math.max(5, Math.round(ITERATIONS / 10))
const GOAL_MS = 50

const log = (line: string) => process.stdout.write(`${line}\n`)
// A fixed seed: every run asks the same questions, so runs compare.
let state = 42
const random = (n: number) => {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31
  return state % n
}

async function main() {
  const started = performance.now()
  const { db, tenantId, agent, reused } = await seedInbox(SIZE, log)
  log(reused ? `reusing the seeded conversa_bench_inbox (${SIZE.conversations.toLocaleString()} conversations, ${SIZE.messages.toLocaleString()} messages)` : `seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  const [number] = await db.sql<{ id: string }[]>`select id from public.whatsapp_numbers where tenant_id = ${tenantId} order by phone_number_id offset 1 limit 1`
  const conversationIds = (await db.sql<{ id: string }[]>`select id from public.conversations where tenant_id = ${tenantId}`).map((r) => r.id)

  const list = (query: () => Record<string, string>) => async () => {
    const page = await db.withUser(agent.claims, (tx) => listConversations(tx, tenantId, agent.userId, listConversationsQuery.parse(query())))
    return page.conversations.length
  }
  const name = () => {
    const first = FIRST_NAMES[random(FIRST_NAMES.length)]!
    return random(2) ? first : `${first} ${LAST_NAMES[random(LAST_NAMES.length)]!.slice(0, 4)}`
  }
  // Typed as people do: with + and spaces, the whole number or its last digits.
  const phone = () => {
    const digits = phoneOf(random(SIZE.conversations))
    return random(2) ? `+${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)}` : digits.slice(-6)
  }
  // A rarer word (product, place…), its last letter not yet typed: a prefix query over the long tail.
  const rareWord = () => tailWord(4096 + random(TAIL_WORDS - 4096)).slice(0, -1)

  const cases: [string, () => Promise<number>][] = [
    ['list: default (all, newest first)', list(() => ({}))],
    ['list: status=open', list(() => ({ status: 'open' }))],
    ['list: view=mine', list(() => ({ view: 'mine' }))],
    ['list: view=unassigned', list(() => ({ view: 'unassigned' }))],
    ['list: numberId', list(() => ({ numberId: number!.id }))],
    ['list: tag=vip (7%)', list(() => ({ tag: 'vip' }))],
    ['list: tag=escalated (0.1%)', list(() => ({ tag: 'escalated' }))],
    ['list: unread=true', list(() => ({ unread: 'true' }))],
    ['list: mine + open + unread', list(() => ({ view: 'mine', status: 'open', unread: 'true' }))],
    ['search: contact name', list(() => ({ q: name() }))],
    ['search: phone digits', list(() => ({ q: phone() }))],
    ['search: message text, partial rare word', list(() => ({ q: rareWord() }))],
    ['search: message text, common word', list(() => ({ q: COMMON_WORDS[random(COMMON_WORDS.length)]! }))],
    [
      'open chat: detail + first page of messages',
      async () => {
        const id = conversationIds[random(conversationIds.length)]!
        await db.withUser(agent.claims, (tx) => getConversation(tx, tenantId, id))
        const { messages } = await db.withUser(agent.claims, (tx) => listMessages(tx, tenantId, id, listMessagesQuery.parse({})))
        return messages.length
      },
    ],
  ]

  const results: { name: string; rows: number; p50: number; p95: number; p99: number }[] = []
  for (const [label, run] of cases) {
    for (let i = 0; i < WARMUP; i++) await run()
    const times: number[] = []
    let rows = 0
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now()
      rows += await run()
      times.push(performance.now() - t0)
    }
    times.sort((x, y) => x - y)
    results.push({ name: label, rows: rows / ITERATIONS, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) })
    log(`  ${label}: p95 ${percentile(times, 95).toFixed(1)} ms`)
  }
  await db.end()

  const ms = (v: number) => v.toFixed(1).padStart(7)
  const width = Math.max(...results.map((r) => r.name.length))
  log(`\n${SIZE.conversations.toLocaleString()} conversations, ${SIZE.messages.toLocaleString()} messages; ${ITERATIONS} samples per case; RLS transaction as an agent`)
  log(`${'case'.padEnd(width)}  rows/page  p50 ms  p95 ms  p99 ms  p95 < ${GOAL_MS} ms`)
  for (const r of results)
    log(`${r.name.padEnd(width)}  ${r.rows.toFixed(1).padStart(9)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)}  ${r.p95 < GOAL_MS ? 'yes' : 'NO'}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
