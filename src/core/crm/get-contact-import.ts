// The stored report of a CSV import, so the result page survives a reload.
import type { TransactionSql } from 'postgres'
import { notFound } from '@/core/errors/app-error'
import type { RejectedRow } from './validate-import-rows'

export interface ContactImport {
  id: string
  fileName: string
  status: 'running' | 'completed'
  totalRows: number | null
  processedRows: number
  createdCount: number
  updatedCount: number
  duplicateCount: number
  rejectedCount: number
  rejected: RejectedRow[]
  createdAt: Date
  finishedAt: Date | null
}

export const CONTACT_IMPORT_COLUMNS = `id, file_name as "fileName", status, total_rows as "totalRows", processed_rows as "processedRows",
  created_count as "createdCount", updated_count as "updatedCount", duplicate_count as "duplicateCount",
  rejected_count as "rejectedCount", rejected, created_at as "createdAt", finished_at as "finishedAt"`

export async function getContactImport(tx: TransactionSql, tenantId: string, importId: string): Promise<ContactImport> {
  const [report] = await tx<ContactImport[]>`
    select ${tx.unsafe(CONTACT_IMPORT_COLUMNS)} from public.contact_imports where tenant_id = ${tenantId} and id = ${importId}`
  if (!report) throw notFound('Import')
  return report
}
