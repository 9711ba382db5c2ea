import { importBatchInput, importContactsBatch } from '@/core/crm/import-contacts-batch'
import { tenantRoute } from '@/server/http/route'

// 1,000 rows with a few custom fields each fit comfortably in 2 MB.
export const POST = tenantRoute({ input: importBatchInput, minRole: 'agent', maxBodyBytes: 2_000_000 }, async ({ tx, tenant, claims, input }) =>
  importContactsBatch(tx, tenant.id, claims.sub, input),
)
