// Contacts of one workspace, filtered (see contact-filter) and in display-name order, one keyset page
// at a time; the first page also says how many match, counted up to a cap so it stays cheap.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { contactFilterSchema, contactFilterSql, type ContactFilter } from './contact-filter'
import { decodeCursor, encodeCursor } from './contact-cursor'

export const COUNT_CAP = 10_000

export const listContactsQuery = contactFilterSchema.and(
  z.object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    cursor: z.string().max(500).optional(),
  }),
)

export interface ContactListItem {
  id: string
  waId: string | null
  /** The name we keep, or the one the customer set on WhatsApp. */
  name: string | null
  profileName: string | null
  email: string | null
  tags: string[]
  customFields: Record<string, string>
  optedOutAt: Date | null
  blocked: boolean
  lastInboundAt: Date | null
}
interface ContactListRow extends ContactListItem {
  sortKey: string
}

const cursorShape = z.tuple([z.string(), z.uuid()])

/** One keyset page in display-name order; `nextCursor` is null on the last page. */
export async function selectContactPage(tx: TransactionSql, tenantId: string, query: ContactFilter & { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : null
  // Must match contacts_sort_idx so each page is an index range scan.
  const sortKey = tx`lower(coalesce(c.name, c.profile_name, c.wa_id, ''))`
  const rows = await tx<ContactListRow[]>`
    select c.id, c.wa_id as "waId", coalesce(c.name, c.profile_name) as name, c.profile_name as "profileName", c.email, c.tags,
           c.custom_fields as "customFields", c.opted_out_at as "optedOutAt", c.blocked, c.last_inbound_at as "lastInboundAt",
           ${sortKey} as "sortKey"
    from public.contacts c
    where ${contactFilterSql(tx, tenantId, query)} ${after ? tx`and (${sortKey}, c.id) > (${after[0]}, ${after[1]}::uuid)` : tx``}
    order by ${sortKey}, c.id
    limit ${query.limit + 1}`
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    contacts: page.map(withoutSortKey),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
  }
}

function withoutSortKey(row: ContactListRow): ContactListItem {
  const { sortKey, ...contact } = row
  void sortKey
  return contact
}

export async function listContacts(tx: TransactionSql, tenantId: string, query: ContactFilter & { limit: number; cursor?: string }) {
  const page = await selectContactPage(tx, tenantId, query)
  return query.cursor ? page : { ...page, total: await countCapped(tx, tenantId, query) }
}

/** How many contacts match, exact up to COUNT_CAP; `capped` says there are more. */
async function countCapped(tx: TransactionSql, tenantId: string, filter: ContactFilter) {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from (select 1 from public.contacts c where ${contactFilterSql(tx, tenantId, filter)} limit ${COUNT_CAP + 1}) x`
  const n = row!.n
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP }
}
