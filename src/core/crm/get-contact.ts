// One contact with everything the contact page edits.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'

export interface ContactDetail {
  id: string
  waId: string | null
  name: string | null
  profileName: string | null
  email: string | null
  tags: string[]
  customFields: Record<string, string>
  optedOutAt: Date | null
  optOutReason: string | null
  blocked: boolean
  lastInboundAt: Date | null
  createdAt: Date
  updatedAt: Date
}

export const CONTACT_DETAIL_COLUMNS = `id, wa_id as "waId", name, profile_name as "profileName", email, tags, custom_fields as "customFields",
  opted_out_at as "optedOutAt", opt_out_reason as "optOutReason", blocked, last_inbound_at as "lastInboundAt",
  created_at as "createdAt", updated_at as "updatedAt"`

export async function getContact(tx: TransactionSql, tenantId: string, contactId: string): Promise<ContactDetail> {
  const [contact] = await tx<ContactDetail[]>`
    select ${tx.unsafe(CONTACT_DETAIL_COLUMNS)} from public.contacts where tenant_id = ${tenantId} and id = ${contactId}`
  if (!contact) throw notFound('Contact')
  return contact
}
