// Writes a note on a contact in the caller's name.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { notFound } from '@/core/errors/app-error'
import type { ContactNote } from './list-contact-notes'

export const addContactNoteInput = z.object({ body: z.string().trim().min(1, 'Write something first').max(5000, 'A note is at most 5,000 characters') })

export async function addContactNote(tx: TransactionSql, tenantId: string, contactId: string, authorId: string, body: string): Promise<ContactNote> {
  const [note] = await tx<ContactNote[]>`
    insert into public.contact_notes (tenant_id, contact_id, author_id, body)
    select c.tenant_id, c.id, ${authorId}, ${body} from public.contacts c where c.tenant_id = ${tenantId} and c.id = ${contactId}
    returning id, body, author_id as "authorId", null::text as "authorName", created_at as "createdAt"`
  if (!note) throw notFound('Contact')
  const [profile] = await tx<{ name: string | null }[]>`select coalesce(full_name, email) as name from public.profiles where id = ${authorId}`
  return { ...note, authorName: profile?.name ?? null }
}
