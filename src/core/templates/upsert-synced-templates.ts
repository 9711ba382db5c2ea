// Mirrors an account's templates as Meta lists them: new and changed ones are upserted, ones Meta
// no longer has are marked DELETED (kept, because sent messages and campaigns refer to them).
import type { TransactionSql } from 'postgres'

export interface MetaTemplate {
  id: string
  name: string
  language: string
  category: string
  status: string
  components?: unknown[]
  quality_score?: { score?: string } | null
  rejected_reason?: string | null
}

const CATEGORIES = new Set(['MARKETING', 'UTILITY', 'AUTHENTICATION'])
const STATUSES = new Set(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED'])

export async function upsertSyncedTemplates(tx: TransactionSql, tenantId: string, accountId: string, templates: MetaTemplate[]) {
  let upserted = 0
  for (const t of templates) {
    // Values outside what we model (a new category or status) are skipped rather than guessed.
    if (!CATEGORIES.has(t.category) || !STATUSES.has(t.status)) continue
    await tx`
      insert into public.templates (tenant_id, account_id, meta_template_id, name, language, category, status, components, quality_score, rejected_reason)
      values (${tenantId}, ${accountId}, ${t.id}, ${t.name}, ${t.language}, ${t.category}, ${t.status},
              ${tx.json((t.components ?? []) as never)}, ${t.quality_score?.score ?? null}, ${t.rejected_reason ?? null})
      on conflict (account_id, name, language) do update set
        meta_template_id = excluded.meta_template_id, category = excluded.category, status = excluded.status,
        components = excluded.components, quality_score = excluded.quality_score, rejected_reason = excluded.rejected_reason`
    upserted++
  }
  const ids = templates.map((t) => t.id)
  const removed = await tx`
    update public.templates set status = 'DELETED'
    where tenant_id = ${tenantId} and account_id = ${accountId} and status <> 'DELETED'
      and (meta_template_id is null or not (meta_template_id = any(${ids})))`
  return { upserted, removed: removed.count }
}
