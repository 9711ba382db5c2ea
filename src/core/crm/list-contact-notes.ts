// Notes the team keeps on a contact, newest first, with who wrote them.
import type { TransactionSql } from 'postgres'

export interface ContactNote {
  id: string
  body: string
  authorId: string | null
  authorName: string | null
  createdAt: Date
}

export async function listContactNotes(tx: TransactionSql, tenantId: string, contactId: string) {
  const notes = await tx<ContactNote[]>`
    select n.id, n.body, n.author_id as "authorId", coalesce(p.full_name, p.email) as "authorName", n.created_at as "createdAt"
    from public.contact_notes n
    left join public.profiles p on p.id = n.author_id
    where n.tenant_id = ${tenantId} and n.contact_id = ${contactId}
    order by n.created_at desc, n.id desc
    limit 500`
  return { notes }
}
