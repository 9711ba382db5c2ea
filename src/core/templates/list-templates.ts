// The workspace's templates for pickers and the templates page; deleted ones only on request.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'

export const listTemplatesQuery = z.object({
  status: z.enum(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'DELETED']).optional(),
})

export async function listTemplates(tx: TransactionSql, tenantId: string, q: z.infer<typeof listTemplatesQuery>) {
  return tx`
    select t.id, t.name, t.language, t.category, t.status, t.components, t.quality_score as "qualityScore",
           t.rejected_reason as "rejectedReason", a.waba_id as "wabaId", t.updated_at as "updatedAt"
    from public.templates t join public.whatsapp_business_accounts a on a.id = t.account_id
    where t.tenant_id = ${tenantId} and ${q.status ? tx`t.status = ${q.status}` : tx`t.status <> 'DELETED'`}
    order by t.name, t.language`
}
