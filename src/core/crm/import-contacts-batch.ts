// Imports one batch of a CSV import: valid rows create contacts or merge into existing ones (tags
// and custom fields merged, never a second contact), repeats of a phone anywhere earlier in the file
// count as duplicates, and the import's report (totals, first rejected rows) is updated in the same
// transaction, so every finished batch stays imported whatever happens to later ones.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { AppError, notFound } from '@/core/errors/app-error'
import { importRowSchema, validateImportRows, type RejectedRow } from './validate-import-rows'
import { CONTACT_IMPORT_COLUMNS, type ContactImport } from './get-contact-import'

export const IMPORT_BATCH_MAX = 1000
/** Rejected rows kept in the stored report; the count stays exact beyond it. */
export const STORED_REJECTED_MAX = 1000

export const importBatchInput = z.object({
  importId: z.uuid(),
  fileName: z.string().trim().max(255).default(''),
  totalRows: z.number().int().min(0).max(10_000_000).optional(),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'A two-letter country code').optional(),
  rows: z.array(importRowSchema).max(IMPORT_BATCH_MAX, `At most ${IMPORT_BATCH_MAX} rows per batch`),
  /** The last batch: the import is marked completed. */
  final: z.boolean().default(false),
})

export interface ImportBatchResult {
  created: number
  updated: number
  duplicates: number
  rejected: RejectedRow[]
  import: ContactImport
}

export async function importContactsBatch(tx: TransactionSql, tenantId: string, userId: string, input: z.infer<typeof importBatchInput>): Promise<ImportBatchResult> {
  await tx`
    insert into public.contact_imports (id, tenant_id, created_by, file_name, default_country, total_rows)
    values (${input.importId}, ${tenantId}, ${userId}, ${input.fileName}, ${input.defaultCountry ?? null}, ${input.totalRows ?? null})
    on conflict (id) do nothing`
  // The row lock serialises batches of one import, so two tabs cannot both count a row.
  const [run] = await tx<{ status: string; lastRow: number; defaultCountry: string | null; storedRejected: number }[]>`
    select status, last_row as "lastRow", default_country as "defaultCountry", jsonb_array_length(rejected) as "storedRejected"
    from public.contact_imports where tenant_id = ${tenantId} and id = ${input.importId} for update`
  if (!run) throw notFound('Import')
  if (run.status === 'completed') throw new AppError('conflict', 'This import has already finished')

  // A batch sent again after a lost response only brings rows past the ones already handled.
  const fresh = input.rows.filter((r) => r.row > run.lastRow)
  const { contacts, rejected, duplicates } = validateImportRows(fresh, run.defaultCountry ?? undefined)

  const firstInFile = contacts.length
    ? new Set(
        (
          await tx<{ waId: string }[]>`
            insert into public.contact_import_keys (tenant_id, import_id, wa_id)
            select ${tenantId}, ${input.importId}, k from unnest(${contacts.map((c) => c.waId)}::text[]) k
            on conflict (import_id, wa_id) do nothing
            returning wa_id as "waId"`
        ).map((r) => r.waId),
      )
    : new Set<string>()
  const toWrite = contacts.filter((c) => firstInFile.has(c.waId))
  const duplicateCount = duplicates.length + contacts.length - toWrite.length

  const written = toWrite.length
    ? await tx<{ inserted: boolean }[]>`
        insert into public.contacts as c (tenant_id, wa_id, name, email, tags, custom_fields)
        select ${tenantId}, r.wa_id, r.name, r.email, coalesce(r.tags, '{}'), coalesce(r.custom_fields, '{}')
        from jsonb_to_recordset(${tx.json(toWrite.map((x) => ({ wa_id: x.waId, name: x.name, email: x.email, tags: x.tags, custom_fields: x.customFields })))})
          as r(wa_id text, name text, email text, tags text[], custom_fields jsonb)
        on conflict (tenant_id, wa_id) do update set
          name = coalesce(excluded.name, c.name),
          email = coalesce(excluded.email, c.email),
          tags = array(select distinct t from unnest(c.tags || excluded.tags) t order by t),
          custom_fields = c.custom_fields || excluded.custom_fields,
          updated_at = now()
        returning (xmax = 0) as inserted`
    : []
  const created = written.filter((w) => w.inserted).length
  const updated = written.length - created

  const keep = rejected.slice(0, Math.max(0, STORED_REJECTED_MAX - run.storedRejected))
  const lastRow = Math.max(run.lastRow, ...input.rows.map((r) => r.row))
  const [report] = await tx<ContactImport[]>`
    update public.contact_imports set
      last_row = ${lastRow},
      total_rows = coalesce(${input.totalRows ?? null}, total_rows),
      processed_rows = processed_rows + ${fresh.length},
      created_count = created_count + ${created},
      updated_count = updated_count + ${updated},
      duplicate_count = duplicate_count + ${duplicateCount},
      rejected_count = rejected_count + ${rejected.length},
      rejected = rejected || ${tx.json(keep as never)}::jsonb,
      status = ${input.final ? 'completed' : 'running'},
      finished_at = ${input.final ? tx`now()` : tx`null`}
    where tenant_id = ${tenantId} and id = ${input.importId}
    returning ${tx.unsafe(CONTACT_IMPORT_COLUMNS)}`
  // The phones seen only matter while batches still come: a finished import keeps its report, not them.
  if (input.final) await tx`delete from public.contact_import_keys where tenant_id = ${tenantId} and import_id = ${input.importId}`
  return { created, updated, duplicates: duplicateCount, rejected, import: report! }
}
