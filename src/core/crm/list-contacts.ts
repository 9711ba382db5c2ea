// Contacts of one workspace, searchable by name or WhatsApp id, alphabetical.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'

export const listContactsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export async function listContacts(tx: TransactionSql, tenantId: string, query: z.infer<typeof listContactsQuery>) {
  // Escape LIKE wildcards so a search for "50%" means the literal text.
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null
  return tx<{ id: string; waId: string; name: string | null; tags: string[]; optedOutAt: Date | null; blocked: boolean }[]>`
    select id, wa_id as "waId", coalesce(name, profile_name) as name, tags, opted_out_at as "optedOutAt", blocked
    from public.contacts
    where tenant_id = ${tenantId}
      ${pattern ? tx`and (coalesce(name, profile_name, '') ilike ${pattern} or wa_id like ${pattern})` : tx``}
    order by lower(coalesce(name, profile_name, wa_id))
    limit ${query.limit}`
}
