// A CSV of phone numbers becomes a campaign's list: which column holds the numbers, the non-blank
// values of that column, and the chunks they are posted in.
import { guessMapping } from '@/ui/contacts/import-mapping'

/** The list endpoint takes up to 100,000 numbers per call; 5,000 keeps each request small and the progress bar moving. */
export const UPLOAD_CHUNK = 5000

/** The column the contacts import would read phone numbers from, else the first one. */
export function guessPhoneColumn(headers: string[]): string | undefined {
  return guessMapping(headers).find((m) => m.target === 'phone')?.column ?? headers[0]
}

export function phonesOf(rows: Record<string, unknown>[], column: string): string[] {
  return rows.flatMap((row) => {
    const value = row[column]
    return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : []
  })
}

export function chunksOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
