// Keyset cursors on timestamptz columns, exact to the microsecond. A JavaScript Date keeps milliseconds
// only, so a cursor that passes through one can fall between two rows of the same millisecond and skip
// them: the value goes out as text and comes back as text.
import type { PendingQuery, Row, TransactionSql } from 'postgres'

/** The column as ISO 8601 with all six fractional digits. */
export const exactIso = (tx: TransactionSql, column: PendingQuery<Row[]>) => tx`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** A cursor's time as a parameter: typed text, since postgres.js turns a timestamptz parameter into a Date. */
export const exactTime = (tx: TransactionSql, iso: string) => tx`${iso}::text::timestamptz`
