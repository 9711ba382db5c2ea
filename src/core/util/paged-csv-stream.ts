// A CSV download built one keyset page at a time, each page in its own short transaction, so a large
// export neither holds a transaction open for its whole download nor builds the file in memory.
import type { TransactionSql } from 'postgres'

export type RunInTransaction = <T>(fn: (tx: TransactionSql) => Promise<T>) => Promise<T>

export interface CsvPage {
  lines: string
  nextCursor: string | null
}

export function pagedCsvStream(header: string, run: RunInTransaction, page: (tx: TransactionSql, cursor: string | undefined) => Promise<CsvPage>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: string | undefined
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true
        // A UTF-8 BOM so spreadsheet programs read accented names correctly.
        controller.enqueue(encoder.encode(`\uFEFF${header}`))
        return
      }
      const next = await run((tx) => page(tx, cursor))
      controller.enqueue(encoder.encode(next.lines))
      if (next.nextCursor) cursor = next.nextCursor
      else controller.close()
    },
  })
}
