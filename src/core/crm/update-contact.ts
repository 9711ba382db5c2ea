// Changes a contact's fields, block state and consent: opting out records when and why; opting back in clears both.
import type { PendingQuery, Row, TransactionSql } from 'postgres'
import type { z } from 'zod'
import { notFound } from '@/core/errors/app-error'
import type { updateContactInput } from './contact-schemas'
import { CONTACT_DETAIL_COLUMNS, type ContactDetail } from './get-contact'

export async function updateContact(tx: TransactionSql, tenantId: string, contactId: string, patch: z.infer<typeof updateContactInput>): Promise<ContactDetail> {
  const set: PendingQuery<Row[]>[] = [tx`updated_at = now()`]
  if (patch.name !== undefined) set.push(tx`name = ${patch.name || null}`)
  if (patch.email !== undefined) set.push(tx`email = ${patch.email}`)
  if (patch.tags !== undefined) set.push(tx`tags = ${patch.tags}::text[]`)
  if (patch.customFields !== undefined) set.push(tx`custom_fields = ${tx.json(patch.customFields)}`)
  if (patch.blocked !== undefined) set.push(tx`blocked = ${patch.blocked}`)
  // Keep the first opt-out time when only the reason changes later.
  if (patch.optedOut === true) set.push(tx`opted_out_at = coalesce(opted_out_at, now()), opt_out_reason = ${patch.optOutReason || null}`)
  if (patch.optedOut === false) set.push(tx`opted_out_at = null, opt_out_reason = null`)
  const [contact] = await tx<ContactDetail[]>`
    update public.contacts set ${set.reduce((acc, part) => tx`${acc}, ${part}`)}
    where tenant_id = ${tenantId} and id = ${contactId}
    returning ${tx.unsafe(CONTACT_DETAIL_COLUMNS)}`
  if (!contact) throw notFound('Contact')
  return contact
}
