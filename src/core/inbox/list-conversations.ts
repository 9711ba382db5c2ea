// The conversation list of one workspace, newest activity first, with filters, search and keyset
// pagination. Search matches contact names, phone digits and message text (see search-terms.ts and
// the 20260104000000_inbox_search migration for how partial words are matched).
import type { PendingQuery, Row as SqlRow, TransactionSql } from 'postgres'
import { z } from 'zod'
import { exactTime } from '@/core/util/exact-timestamp'
import { summaryColumns, summaryJoins, type ConversationSummary } from './conversation-summary'
import { searchTerms, type SearchTerms } from './search-terms'
import { storedMessagePreview } from './stored-message-preview'

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const

export const listConversationsQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  view: z.enum(['all', 'mine', 'unassigned']).default('all'),
  numberId: z.uuid().optional(),
  tag: z.string().trim().min(1).max(40).optional(),
  unread: z.literal('true').optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  // Cursor: the last row's last_message_at (ISO) and id, so ties never skip or repeat rows.
  before: z.iso.datetime({ offset: true }).optional(),
  beforeId: z.uuid().optional(),
})
export type ListConversationsQuery = z.infer<typeof listConversationsQuery>

export interface MatchedMessage {
  id: string
  preview: string
  timestamp: Date
}
export type ConversationListItem = ConversationSummary & { matchedMessage?: MatchedMessage }

interface Row extends ConversationSummary {
  matchId: string | null
  matchType: string | null
  matchContent: unknown
  matchTimestamp: Date | null
}

export async function listConversations(
  tx: TransactionSql,
  tenantId: string,
  userId: string,
  q: ListConversationsQuery,
): Promise<{ conversations: ConversationListItem[]; hasMore: boolean }> {
  const terms = q.q ? searchTerms(q.q) : null
  if (terms && terms.tsquery === null && terms.phoneDigits === null) return { conversations: [], hasMore: false }

  const rareTagIds = q.tag ? await conversationsWithRareTag(tx, tenantId, q.tag) : null
  const filters = [
    q.status ? tx`and c.status = ${q.status}` : tx``,
    q.view === 'mine' ? tx`and c.assignee_id = ${userId}` : q.view === 'unassigned' ? tx`and c.assignee_id is null` : tx``,
    q.numberId ? tx`and c.number_id = ${q.numberId}` : tx``,
    q.tag ? (rareTagIds ? tx`and c.id = any(${rareTagIds}::uuid[])` : tx`and c.tags @> array[${q.tag}]::text[]`) : tx``,
    q.unread ? tx`and c.unread_count > 0` : tx``,
    q.before && q.beforeId ? tx`and (c.last_message_at, c.id) < (${exactTime(tx, q.before)}, ${q.beforeId}::uuid)` : tx``,
  ]

  const order = tx`order by c.last_message_at desc, c.id desc`
  // The page is picked first (ids and the matching message); contact, number, assignee and message are
  // then joined for those rows only, not for every candidate.
  const found = terms ? await searchPage(tx, tenantId, terms, filters, q.limit + 1) : null
  const page = found
    ? tx`select * from unnest(${found.ids}::uuid[], ${found.matchIds}::uuid[]) as p(id, match_id)`
    : tx`select c.id, null::uuid as match_id from public.conversations c where c.tenant_id = ${tenantId} ${filters} ${order} limit ${q.limit + 1}`
  const rows = await tx<Row[]>`
    with page as materialized (${page})
    select ${summaryColumns(tx)}, mm.id as "matchId", mm.type as "matchType", mm.content as "matchContent", mm."timestamp" as "matchTimestamp"
    from page
    join public.conversations c on c.id = page.id
    ${summaryJoins(tx)}
    left join public.messages mm on mm.id = page.match_id
    ${order}`

  const conversations = rows.slice(0, q.limit).map(({ matchId, matchType, matchContent, matchTimestamp, ...summary }) =>
    matchId && matchType && matchTimestamp
      ? { ...summary, matchedMessage: { id: matchId, preview: storedMessagePreview(matchType, matchContent), timestamp: matchTimestamp } }
      : summary,
  )
  return { conversations, hasMore: rows.length > q.limit }
}

// Below this many conversations a tag is rare: look its conversations up and sort them. Above, a page
// fills quickly walking the list and testing each row.
export const RARE_TAG_CAP = 500

/** The ids carrying a rare tag, or null for a common one. `@>` cannot use the tags GIN index under RLS
 *  (it is not leakproof), hence the security-definer lookup. */
async function conversationsWithRareTag(tx: TransactionSql, tenantId: string, tag: string): Promise<string[] | null> {
  const [row] = await tx<{ ids: string[] }[]>`
    select coalesce(array_agg(t.id), '{}') as ids from private.conversations_tagged(${tenantId}, ${tag}, ${RARE_TAG_CAP}) t`
  return row!.ids.length < RARE_TAG_CAP ? row!.ids : null
}

// How many of the newest conversations a search tests one by one before it looks its matches up in
// the indexes instead: enough to fill a page when a word is in one conversation in seven.
const WALK_BUDGET = 200

type PageRow = { id: string; matchId: string | null }

/**
 * One page of search results in list order: conversation ids and, where message text matched, the
 * newest matching message of each.
 * A common word matches in most conversations, so walking the newest ones fills a page at once, while
 * looking it up would gather and sort tens of thousands of matches. A rare word, a name or a phone
 * number fills no page within the budget: its few matches are looked up in the GIN indexes (through
 * private.search_conversations: text search cannot use an index under RLS) and sorted.
 */
async function searchPage(tx: TransactionSql, tenantId: string, terms: SearchTerms, filters: PendingQuery<SqlRow[]>[], size: number) {
  const order = tx`order by c.last_message_at desc, c.id desc`
  // Digits (a phone or order number) are specific: no page to fill from the newest conversations.
  const walked = terms.phoneDigits ? [] : await tx<(PageRow & { scanned: number })[]>`
    with candidates as materialized (
      select c.id, c.contact_id, c.tenant_id, c.last_message_at from public.conversations c
      where c.tenant_id = ${tenantId} ${filters} ${order} limit ${WALK_BUDGET}
    )
    select c.id, mm.id as "matchId", (select count(*) from candidates)::int as scanned
    from candidates c
    join public.contacts ct on ct.id = c.contact_id
    left join lateral (
      select m.id from public.messages m
      where m.conversation_id = c.id and m.tenant_id = c.tenant_id
        and to_tsvector('simple'::regconfig, public.message_search_text(m.type, m.content)) @@ to_tsquery('simple'::regconfig, ${terms.tsquery})
      order by m."timestamp" desc, m.id desc
      limit 1
    ) mm on true
    where mm.id is not null
       or to_tsvector('simple'::regconfig, coalesce(ct.name, '') || ' ' || coalesce(ct.profile_name, '')) @@ to_tsquery('simple'::regconfig, ${terms.tsquery})
    ${order}
    limit ${size}`
  const complete = walked.length === size || (walked.length > 0 && walked[0]!.scanned < WALK_BUDGET)
  const rows = complete
    ? walked
    : await tx<PageRow[]>`
        select c.id, h.message_id as "matchId"
        from private.search_conversations(${tenantId}, ${terms.tsquery}, ${terms.phoneDigits}) h
        join public.conversations c on c.id = h.conversation_id
        where c.tenant_id = ${tenantId} ${filters} ${order}
        limit ${size}`
  return { ids: rows.map((r) => r.id), matchIds: rows.map((r) => r.matchId) }
}
