// Adds and removes tags on many contacts at once, chosen by id or by the list filter.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { contactFilterSchema, contactFilterSql } from './contact-filter'
import { tagsSchema } from './contact-schemas'

export const bulkTagInput = z
  .object({
    contactIds: z.array(z.uuid()).min(1).max(1000, 'At most 1,000 contacts at a time; use a filter for more').optional(),
    filter: contactFilterSchema.optional(),
    add: tagsSchema.default([]),
    remove: tagsSchema.default([]),
  })
  .refine((v) => (v.contactIds === undefined) !== (v.filter === undefined), { message: 'Give either contactIds or filter', path: ['contactIds'] })
  .refine((v) => v.add.length + v.remove.length > 0, { message: 'Give tags to add or remove', path: ['add'] })

export async function bulkTagContacts(tx: TransactionSql, tenantId: string, input: z.infer<typeof bulkTagInput>) {
  const which = input.contactIds
    ? tx`c.tenant_id = ${tenantId} and c.id = any(${input.contactIds}::uuid[])`
    : contactFilterSql(tx, tenantId, input.filter!)
  // Removal wins over addition for a tag named in both, and untouched rows are not rewritten.
  const result = await tx`
    update public.contacts c set
      tags = array(select distinct t from unnest(c.tags || ${input.add}::text[]) t where t <> all(${input.remove}::text[]) order by t),
      updated_at = now()
    where ${which}
      and (not c.tags @> ${input.add}::text[] or c.tags && ${input.remove}::text[])`
  return { updated: result.count }
}
