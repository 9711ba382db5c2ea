// Template actions that go through Meta: sync an account's list, submit a new template, delete one.
import type { TransactionSql } from 'postgres'
import { AppError, notFound } from '@/core/errors/app-error'
import { upsertSyncedTemplates, type MetaTemplate } from '@/core/templates/upsert-synced-templates'
import type { TemplateDraft } from '@/core/whatsapp/template-draft'
import { accountToken } from './account-token'
import type { GraphDeps } from './deps'
import { callMeta } from './meta-refusal'

export async function syncTemplates(tx: TransactionSql, tenantId: string, deps: GraphDeps) {
  const accounts = await tx<{ id: string; wabaId: string }[]>`
    select id, waba_id as "wabaId" from public.whatsapp_business_accounts where tenant_id = ${tenantId}`
  // One account Meta refuses (say, a revoked token) must not stop the others from syncing.
  const results = []
  for (const account of accounts) {
    try {
      const token = await accountToken(tx, account.id, deps.encryptionKey)
      const templates = (await callMeta('Meta refused', () => deps.graph.listTemplates(account.wabaId, token))) as MetaTemplate[]
      results.push({ wabaId: account.wabaId, ...(await tx.savepoint((sp) => upsertSyncedTemplates(sp, tenantId, account.id, templates))) })
    } catch (error) {
      results.push({ wabaId: account.wabaId, error: error instanceof AppError ? error.message : 'This account could not be synced' })
    }
  }
  return results
}

export async function createTemplate(tx: TransactionSql, tenantId: string, wabaId: string, draft: TemplateDraft, deps: GraphDeps) {
  const [account] = await tx<{ id: string }[]>`
    select id from public.whatsapp_business_accounts where tenant_id = ${tenantId} and waba_id = ${wabaId}`
  if (!account) throw notFound('WhatsApp Business Account')
  const token = await accountToken(tx, account.id, deps.encryptionKey)
  const created = (await callMeta('Meta refused', () => deps.graph.createTemplate(wabaId, token, draft))) as { id: string; status?: string }
  const [row] = await tx`
    insert into public.templates (tenant_id, account_id, meta_template_id, name, language, category, status, components)
    values (${tenantId}, ${account.id}, ${created.id}, ${draft.name}, ${draft.language}, ${draft.category},
            ${created.status ?? 'PENDING'}, ${tx.json(draft.components as never)})
    on conflict (account_id, name, language) do update set meta_template_id = excluded.meta_template_id,
      status = excluded.status, components = excluded.components, category = excluded.category
    returning id, name, language, category, status`
  return row
}

export async function deleteTemplate(tx: TransactionSql, tenantId: string, templateId: string, deps: GraphDeps) {
  const [template] = await tx<{ accountId: string; wabaId: string; name: string; metaId: string | null }[]>`
    select t.account_id as "accountId", a.waba_id as "wabaId", t.name, t.meta_template_id as "metaId"
    from public.templates t join public.whatsapp_business_accounts a on a.id = t.account_id
    where t.id = ${templateId} and t.tenant_id = ${tenantId}`
  if (!template) throw notFound('Template')
  const token = await accountToken(tx, template.accountId, deps.encryptionKey)
  await callMeta('Meta refused', () => deps.graph.deleteTemplate(template.wabaId, token, { name: template.name, hsmId: template.metaId ?? undefined }))
  await tx`update public.templates set status = 'DELETED' where id = ${templateId}`
}
