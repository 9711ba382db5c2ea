// Streams the contacts that match a filter as CSV, one keyset page per short transaction.
import type { TransactionSql } from 'postgres'
import { pagedCsvStream, type RunInTransaction } from '@/core/util/paged-csv-stream'
import { contactFilterSql, type ContactFilter } from './contact-filter'
import { contactCsvLine, contactsCsvHeader } from './contacts-csv'
import { selectContactPage } from './list-contacts'

const PAGE_SIZE = 1000
const MAX_FIELD_COLUMNS = 200

/** Custom field names used by the matching contacts, which become the CSV's extra columns. */
export async function customFieldKeys(tx: TransactionSql, tenantId: string, filter: ContactFilter): Promise<string[]> {
  const rows = await tx<{ key: string }[]>`
    select distinct k as key from public.contacts c, jsonb_object_keys(c.custom_fields) k
    where ${contactFilterSql(tx, tenantId, filter)}
    order by k limit ${MAX_FIELD_COLUMNS}`
  return rows.map((r) => r.key)
}

export function exportContactsCsv(run: RunInTransaction, tenantId: string, filter: ContactFilter, fieldKeys: string[]): ReadableStream<Uint8Array> {
  return pagedCsvStream(contactsCsvHeader(fieldKeys), run, async (tx, cursor) => {
    const page = await selectContactPage(tx, tenantId, { ...filter, limit: PAGE_SIZE, cursor })
    return { lines: page.contacts.map((c) => contactCsvLine(c, fieldKeys)).join(''), nextCursor: page.nextCursor ?? null }
  })
}
