// The conversation list of one workspace, newest activity first, with filters, search and keyset
// pagination. Search matches contact names, phone digits and message text (see search-terms.ts and
// the 20260104000000_inbox_search migration for how partial words are matched).
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
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

  const filters = [
    q.status ? tx`and c.status = ${q.status}` : tx``,
    q.view === 'mine' ? tx`and c.assignee_id = ${userId}` : q.view === 'unassigned' ? tx`and c.assignee_id is null` : tx``,
    q.numberId ? tx`and c.number_id = ${q.numberId}` : tx``,
    // Through a security-definer lookup: `@>` cannot use the GIN index under RLS (see the migration).
    q.tag ? tx`and c.id in (select private.conversations_tagged(${tenantId}, ${q.tag}))` : tx``,
    q.unread ? tx`and c.unread_count > 0` : tx``,
    q.before && q.beforeId ? tx`and (c.last_message_at, c.id) < (${q.before}::timestamptz, ${q.beforeId}::uuid)` : tx``,
  ]

  const search = terms ? await searchStrategy(tx, tenantId, terms) : null
  const tsquery = terms?.tsquery ?? null
  const phonePattern = terms?.phoneDigits ? `%${terms.phoneDigits}%` : null
  const rows =
    search === 'index'
      ? // Few matches: start from them (GIN lookups in private.search_conversations) and sort those.
        await tx<Row[]>`
          select ${summaryColumns(tx)}, mm.id as "matchId", mm.type as "matchType", mm.content as "matchContent", mm."timestamp" as "matchTimestamp"
          from private.search_conversations(${tenantId}, ${tsquery}, ${terms!.phoneDigits}) h
          join public.conversations c on c.id = h.conversation_id
          ${summaryJoins(tx)}
          left join public.messages mm on mm.id = h.message_id
          where c.tenant_id = ${tenantId} ${filters}
          order by c.last_message_at desc, c.id desc
          limit ${q.limit + 1}`
      : search === 'walk'
        ? // A word in a large share of messages: walk the list and test each conversation's own messages;
          // most conversations match, so a page fills after a few dozen.
          await tx<Row[]>`
            select ${summaryColumns(tx)}, mm.id as "matchId", mm.type as "matchType", mm.content as "matchContent", mm."timestamp" as "matchTimestamp"
            from public.conversations c
            ${summaryJoins(tx)}
            left join lateral (
              select m.id, m.type, m.content, m."timestamp" from public.messages m
              where m.conversation_id = c.id and m.tenant_id = c.tenant_id
                and to_tsvector('simple'::regconfig, public.message_search_text(m.type, m.content)) @@ to_tsquery('simple'::regconfig, ${tsquery})
              order by m."timestamp" desc, m.id desc
              limit 1
            ) mm on true
            where c.tenant_id = ${tenantId} ${filters}
              and (mm.id is not null or ct.wa_id like ${phonePattern}
                   or to_tsvector('simple'::regconfig, coalesce(ct.name, '') || ' ' || coalesce(ct.profile_name, '')) @@ to_tsquery('simple'::regconfig, ${tsquery}))
            order by c.last_message_at desc, c.id desc
            limit ${q.limit + 1}`
        : await tx<Row[]>`
            select ${summaryColumns(tx)}, null as "matchId", null as "matchType", null as "matchContent", null as "matchTimestamp"
            from public.conversations c
            ${summaryJoins(tx)}
            where c.tenant_id = ${tenantId} ${filters}
            order by c.last_message_at desc, c.id desc
            limit ${q.limit + 1}`

  const conversations = rows.slice(0, q.limit).map(({ matchId, matchType, matchContent, matchTimestamp, ...summary }) =>
    matchId && matchType && matchTimestamp
      ? { ...summary, matchedMessage: { id: matchId, preview: storedMessagePreview(matchType, matchContent), timestamp: matchTimestamp } }
      : summary,
  )
  return { conversations, hasMore: rows.length > q.limit }
}

// Above this many matching messages, starting from the matches costs more than walking the list.
export const MESSAGE_MATCH_CAP = 2000

async function searchStrategy(tx: TransactionSql, tenantId: string, terms: SearchTerms): Promise<'index' | 'walk'> {
  if (!terms.tsquery) return 'index'
  const [row] = await tx<{ n: number }[]>`select private.count_message_matches(${tenantId}, ${terms.tsquery}, ${MESSAGE_MATCH_CAP}) as n`
  return row!.n < MESSAGE_MATCH_CAP ? 'index' : 'walk'
}
