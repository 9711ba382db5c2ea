// Deletes a note: its author may, and so may supervisors and above (the RLS policy says the same).
import type { TransactionSql } from 'postgres'
import { forbidden, notFound } from '@/core/errors/app-error'
import { atLeast, type Role } from '@/core/tenancy/roles'

export async function deleteContactNote(tx: TransactionSql, actor: { tenantId: string; userId: string; role: Role }, contactId: string, noteId: string) {
  const [note] = await tx<{ authorId: string | null }[]>`
    select author_id as "authorId" from public.contact_notes where tenant_id = ${actor.tenantId} and contact_id = ${contactId} and id = ${noteId}`
  if (!note) throw notFound('Note')
  if (note.authorId !== actor.userId && !atLeast(actor.role, 'supervisor')) throw forbidden('Only its author or a supervisor can delete this note')
  await tx`delete from public.contact_notes where tenant_id = ${actor.tenantId} and id = ${noteId}`
}
