// Adds a contact by phone number; a number the workspace already has is a 409 naming that contact.
import type { TransactionSql } from 'postgres'
import type { z } from 'zod'
import { AppError } from '@/core/errors/app-error'
import type { createContactInput } from './contact-schemas'
import { CONTACT_DETAIL_COLUMNS, type ContactDetail } from './get-contact'
import { normalizePhone } from './normalize-phone'

export async function createContact(tx: TransactionSql, tenantId: string, input: z.infer<typeof createContactInput>): Promise<ContactDetail> {
  const phone = normalizePhone(input.phone, input.defaultCountry)
  if (!phone.ok) throw new AppError('validation_failed', phone.reason, [{ path: 'phone', message: phone.reason }])
  const [created] = await tx<ContactDetail[]>`
    insert into public.contacts (tenant_id, wa_id, name, email, tags, custom_fields)
    values (${tenantId}, ${phone.waId}, ${input.name || null}, ${input.email ?? null}, ${input.tags}::text[], ${tx.json(input.customFields)})
    on conflict (tenant_id, wa_id) do nothing
    returning ${tx.unsafe(CONTACT_DETAIL_COLUMNS)}`
  if (created) return created
  const [existing] = await tx<{ id: string }[]>`select id from public.contacts where tenant_id = ${tenantId} and wa_id = ${phone.waId}`
  throw new AppError('conflict', `A contact with ${phone.e164} already exists`, { contactId: existing!.id })
}
