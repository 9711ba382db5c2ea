// Streams the contacts that match a filter as CSV, one keyset page per short transaction, so a
// large export neither holds a transaction open for its whole download nor builds the file in memory.
import type { TransactionSql } from 'postgres'
import { contactFilterSql, type ContactFilter } from './contact-filter'
import { contactCsvLine, contactsCsvHeader } from './contacts-csv'
import { selectContactPage } from './list-contacts'

const PAGE_SIZE = 1000
const MAX_FIELD_COLUMNS = 200

type RunInTransaction = <T>(fn: (tx: TransactionSql) => Promise<T>) => Promise<T>

/** Custom field names used by the matching contacts, which become the CSV's extra columns. */
export async function customFieldKeys(tx: TransactionSql, tenantId: string, filter: ContactFilter): Promise<string[]> {
  const rows = await tx<{ key: string }[]>`
    select distinct k as key from public.contacts c, jsonb_object_keys(c.custom_fields) k
    where ${contactFilterSql(tx, tenantId, filter)}
    order by k limit ${MAX_FIELD_COLUMNS}`
  return rows.map((r) => r.key)
}

export function exportContactsCsv(run: RunInTransaction, tenantId: string, filter: ContactFilter, fieldKeys: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: string | undefined
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        // A UTF-8 BOM so spreadsheet programs read accented names correctly.
        controller.enqueue(encoder.encode(`\uFEFF${contactsCsvHeader(fieldKeys)}`))
        return
      }
      const page = await run((tx) => selectContactPage(tx, tenantId, { ...filter, limit: PAGE_SIZE, cursor }))
      controller.enqueue(encoder.encode(page.contacts.map((c) => contactCsvLine(c, fieldKeys)).join('')))
      if (page.nextCursor) cursor = page.nextCursor
      else controller.close()
    },
  })
}
