'use client'
// CSV import: pick a file, map its columns, then stream it through papaparse in chunks (the page
// never freezes, even at 100,000 rows) and post it in batches of 1,000 rows, showing progress. Each
// batch is committed on its own, so a failure stops the import without losing what was imported.
import { useQuery } from '@tanstack/react-query'
import Papa from 'papaparse'
import { useId, useState } from 'react'
import { api } from '@/ui/api/api-client'
import { DefaultCountryField } from '@/ui/components/default-country-field'
import { buttonClass } from '@/ui/components/field'
import { contactKeys, type ContactImportReport, type ImportBatchResponse, type RejectedRow } from './contacts-api'
import { guessMapping, toImportRow, type ColumnMapping, type ColumnTarget, type ImportRowBody } from './import-mapping'
import { useTenantId } from '@/ui/api/use-session'

const BATCH_SIZE = 1000
// Well under the endpoint's 2 MB body limit.
const BATCH_BYTES = 1_500_000
const SHOWN_REJECTED = 200
const inputClass = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600'

interface Scanned {
  file: File
  headers: string[]
  sample: Record<string, string>[]
  rows: number
}
interface RejectedWithData extends RejectedRow {
  data?: Record<string, unknown>
}
interface Progress {
  report: ContactImportReport | null
  sentRows: number
  rejected: RejectedWithData[]
  error: string | null
  done: boolean
}

export function ContactImport({ importId }: { importId?: string }) {
  return importId ? <StoredReport importId={importId} /> : <ImportFlow />
}

function ImportFlow() {
  const id = useId()
  const [scanned, setScanned] = useState<Scanned | null>(null)
  const [scanning, setScanning] = useState(false)
  const [mapping, setMapping] = useState<ColumnMapping[]>([])
  const [country, setCountry] = useState('')
  const [progress, setProgress] = useState<Progress | null>(null)
  const [scanError, setScanError] = useState<string | null>(null)

  const choose = (file: File | undefined) => {
    setScanned(null)
    setProgress(null)
    setScanError(null)
    if (!file) return
    setScanning(true)
    scanFile(file).then(
      (s) => {
        setScanned(s)
        setMapping(guessMapping(s.headers))
        setScanning(false)
      },
      (e: Error) => {
        setScanError(e.message)
        setScanning(false)
      },
    )
  }

  const phoneMapped = mapping.some((m) => m.target === 'phone')
  const running = progress !== null && !progress.done && progress.error === null

  return (
    <section aria-labelledby={`${id}-title`} className="mx-auto max-w-5xl space-y-4">
      <h1 id={`${id}-title`} className="text-2xl font-semibold">
        Import contacts
      </h1>
      <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">1. Choose a CSV file</h2>
        <p className="text-sm text-slate-600">The first line must name the columns. Phone numbers with a + country code work anywhere; others use the default country below.</p>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={`${id}-file`} className="mb-1 block text-sm font-medium text-slate-700">
              CSV file
            </label>
            <input id={`${id}-file`} type="file" accept=".csv,text/csv" disabled={running} onChange={(e) => choose(e.target.files?.[0])} className="block w-full text-sm" />
          </div>
          <DefaultCountryField id={`${id}-country`} value={country} disabled={running} inputClass={inputClass} onChange={setCountry} />
        </div>
        {scanning && <p className="text-sm text-slate-500">Reading the file…</p>}
        {scanError && (
          <p role="alert" className="text-sm text-red-600">
            {scanError}
          </p>
        )}
      </div>

      {scanned && (
        <MappingStep scanned={scanned} mapping={mapping} onChange={setMapping} disabled={running || progress?.done === true} />
      )}

      {scanned && !progress && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className={buttonClass}
            disabled={!phoneMapped || (country !== '' && country.length !== 2)}
            onClick={() => runImport(scanned, mapping, country || undefined, setProgress)}
          >
            Import {scanned.rows.toLocaleString()} rows
          </button>
          {!phoneMapped && <p className="text-sm text-amber-700">Map one column to Phone to start.</p>}
        </div>
      )}

      {progress && scanned && <ProgressPanel progress={progress} total={scanned.rows} fileName={scanned.file.name} />}
    </section>
  )
}

function MappingStep({ scanned, mapping, onChange, disabled }: { scanned: Scanned; mapping: ColumnMapping[]; onChange(m: ColumnMapping[]): void; disabled: boolean }) {
  const set = (i: number, patch: Partial<ColumnMapping>) => onChange(mapping.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">2. Match the columns</h2>
      <p className="text-sm text-slate-600">
        {scanned.file.name}: {scanned.rows.toLocaleString()} rows. Columns not matched to a contact field become custom fields.
      </p>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Column mapping</caption>
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3">Column</th>
              <th scope="col" className="py-1 pr-3">Example</th>
              <th scope="col" className="py-1 pr-3">Import as</th>
              <th scope="col" className="py-1">Custom field name</th>
            </tr>
          </thead>
          <tbody>
            {mapping.map((m, i) => (
              <tr key={m.column} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 pr-3 font-medium">
                  {m.column}
                </th>
                <td className="max-w-[12rem] truncate py-1.5 pr-3 text-slate-600">{scanned.sample[0]?.[m.column] ?? ''}</td>
                <td className="py-1.5 pr-3">
                  <select aria-label={`Import ${m.column} as`} value={m.target} disabled={disabled} onChange={(e) => set(i, { target: e.target.value as ColumnTarget })} className={inputClass}>
                    <option value="phone">Phone</option>
                    <option value="name">Name</option>
                    <option value="email">Email</option>
                    <option value="tags">Tags</option>
                    <option value="field">Custom field</option>
                    <option value="ignore">Don’t import</option>
                  </select>
                </td>
                <td className="py-1.5">
                  {m.target === 'field' && (
                    <input
                      aria-label={`Custom field name for ${m.column}`}
                      value={m.fieldKey}
                      disabled={disabled}
                      maxLength={40}
                      onChange={(e) => set(i, { fieldKey: e.target.value.toLowerCase().replace(/[^a-z0-9_]/g, '_') })}
                      className={inputClass}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function ProgressPanel({ progress, total, fileName }: { progress: Progress; total: number; fileName: string }) {
  const r = progress.report
  const processed = r?.processedRows ?? 0
  const percent = total ? Math.min(100, Math.round((processed / total) * 100)) : 100
  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">3. Import</h2>
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span>{progress.done ? 'Import finished' : progress.error ? 'Import stopped' : 'Importing…'}</span>
          <span>
            {processed.toLocaleString()} / {total.toLocaleString()} rows
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={processed}
          aria-valuetext={`${processed} of ${total} rows`}
          className="h-3 overflow-hidden rounded-full bg-slate-100"
        >
          <div className={`h-full ${progress.error ? 'bg-red-500' : 'bg-brand-600'} transition-[width]`} style={{ width: `${percent}%` }} />
        </div>
      </div>
      <Counters report={r} />
      {progress.error && (
        <p role="alert" className="text-sm text-red-600">
          {progress.error} Rows before it were imported; choose the file again to import the rest (contacts already imported are updated, never duplicated).
        </p>
      )}
      {progress.done && <RejectedRows rejected={progress.rejected} total={r?.rejectedCount ?? progress.rejected.length} fileName={fileName} />}
    </div>
  )
}

function Counters({ report }: { report: ContactImportReport | null }) {
  const items: [string, number][] = [
    ['Created', report?.createdCount ?? 0],
    ['Updated', report?.updatedCount ?? 0],
    ['Duplicates in file', report?.duplicateCount ?? 0],
    ['Rejected', report?.rejectedCount ?? 0],
  ]
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-live="polite">
      {items.map(([label, n]) => (
        <div key={label} className="rounded-lg bg-slate-50 p-2">
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold" data-testid={`import-${label.split(' ')[0]!.toLowerCase()}`}>
            {n.toLocaleString()}
          </dd>
        </div>
      ))}
    </dl>
  )
}

function RejectedRows({ rejected, total, fileName }: { rejected: RejectedWithData[]; total: number; fileName: string }) {
  if (rejected.length === 0) return <p className="text-sm text-brand-700">Every row was imported.</p>
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">Rejected rows ({total.toLocaleString()})</h3>
        <a
          href="#rejected-rows"
          download={`${fileName.replace(/\.csv$/i, '')}-rejected.csv`}
          onClick={(e) => downloadRejected(e.currentTarget, rejected)}
          className="text-sm text-brand-700 underline"
        >
          Download rejected rows as CSV
        </a>
      </div>
      <div className="max-h-96 overflow-auto rounded-lg border border-slate-200">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rejected rows</caption>
          <thead className="sticky top-0 bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-1.5">Line</th>
              <th scope="col" className="px-3 py-1.5">Reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rejected.slice(0, SHOWN_REJECTED).map((r) => (
              <tr key={r.row}>
                <td className="px-3 py-1.5 font-mono">{r.row}</td>
                <td className="px-3 py-1.5">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rejected.length > SHOWN_REJECTED && <p className="text-xs text-slate-500">The first {SHOWN_REJECTED} are shown; the download has them all.</p>}
    </div>
  )
}

/** Points the link at a fresh object URL of the rejected rows as CSV (line, reason, then the original columns) just before the browser follows it. */
function downloadRejected(link: HTMLAnchorElement, rejected: RejectedWithData[]) {
  const rows = rejected.map((r) => ({ line: r.row, reason: r.reason, ...(r.data ?? {}) }))
  const csv = Papa.unparse(rows, { escapeFormulae: true })
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  link.href = url
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

function StoredReport({ importId }: { importId: string }) {
  const tenantId = useTenantId()
  const report = useQuery({
    queryKey: contactKeys.importReport(tenantId, importId),
    queryFn: () => api<{ import: ContactImportReport }>(`/api/contacts/import/${importId}`).then((r) => r.import),
    enabled: tenantId !== null,
  })
  if (report.isPending) return <p className="text-sm text-slate-500">Loading the import report…</p>
  if (report.isError)
    return (
      <p role="alert" className="text-sm text-red-600">
        {report.error.message}
      </p>
    )
  const r = report.data
  return (
    <section aria-labelledby="import-report-title" className="mx-auto max-w-5xl space-y-4 rounded-xl border border-slate-200 bg-white p-4">
      <h1 id="import-report-title" className="text-2xl font-semibold">
        Import of {r.fileName || 'a CSV file'}
      </h1>
      <p className="text-sm text-slate-600">
        {r.status === 'completed' ? 'Finished' : 'Not finished'}: {r.processedRows.toLocaleString()}
        {r.totalRows !== null ? ` of ${r.totalRows.toLocaleString()}` : ''} rows processed.
      </p>
      <Counters report={r} />
      <RejectedRows rejected={r.rejected} total={r.rejectedCount} fileName={r.fileName || 'import'} />
      {r.rejectedCount > r.rejected.length && <p className="text-xs text-slate-500">The first {r.rejected.length.toLocaleString()} rejected rows were kept with this report.</p>}
    </section>
  )
}

// Papaparse reads a local file 10 MB at a time by default: a whole typical CSV parsed in one task.
// Small chunks keep every task short, so the page answers while a big file streams through.
const CHUNK_BYTES = 256 * 1024

/** Headers, a few sample rows and the row count, read in chunks so big files stay responsive. */
function scanFile(file: File): Promise<Scanned> {
  return new Promise((resolve, reject) => {
    let headers: string[] = []
    const sample: Record<string, string>[] = []
    let rows = 0
    Papa.parse<Record<string, string>>(file, {
      header: true,
      skipEmptyLines: 'greedy',
      chunkSize: CHUNK_BYTES,
      chunk: (results) => {
        if (headers.length === 0) headers = (results.meta.fields ?? []).filter(Boolean)
        if (sample.length < 3) sample.push(...results.data.slice(0, 3 - sample.length))
        rows += results.data.length
      },
      complete: () => (headers.length ? resolve({ file, headers, sample, rows }) : reject(new Error('The file has no header line.'))),
      error: (error) => reject(new Error(`The file could not be read: ${error.message}`)),
    })
  })
}

/** Streams the file through the import API; every state change is reported through `update`. */
function runImport(scanned: Scanned, mapping: ColumnMapping[], defaultCountry: string | undefined, update: (p: Progress) => void) {
  const importId = crypto.randomUUID()
  // A reload from here on opens the stored report of this import instead of an empty form.
  window.history.replaceState(null, '', `/contacts/import?id=${importId}`)
  let state: Progress = { report: null, sentRows: 0, rejected: [], error: null, done: false }
  const set = (patch: Partial<Progress>) => update((state = { ...state, ...patch }))
  set({})

  let line = 1 // the header
  type Pending = { body: ImportRowBody; data: Record<string, unknown> }
  let pending: Pending[] = []
  let pendingBytes = 0
  let failed = false

  const batchFull = () => pending.length >= BATCH_SIZE || pendingBytes >= BATCH_BYTES
  // At most BATCH_SIZE rows and about BATCH_BYTES of JSON, whichever comes first.
  const takeBatch = () => {
    let bytes = 0
    let n = 0
    while (n < pending.length && n < BATCH_SIZE && (n === 0 || bytes < BATCH_BYTES)) bytes += JSON.stringify(pending[n++]!.body).length
    const batch = pending.slice(0, n)
    pending = pending.slice(n)
    pendingBytes -= bytes
    return batch
  }

  const send = async (final: boolean, batch: Pending[]) => {
    const res = await postWithRetry({
      importId,
      fileName: scanned.file.name.slice(0, 255),
      totalRows: scanned.rows,
      ...(defaultCountry ? { defaultCountry } : {}),
      rows: batch.map((b) => b.body),
      final,
    })
    const byRow = new Map(batch.map((b) => [b.body.row, b.data]))
    set({
      report: res.import,
      sentRows: state.sentRows + batch.length,
      rejected: [...state.rejected, ...res.rejected.map((r) => ({ ...r, data: byRow.get(r.row) }))],
    })
  }
  const fail = (error: unknown) => {
    failed = true
    set({ error: `Stopped near line ${line}: ${error instanceof Error ? error.message : String(error)}.` })
  }

  Papa.parse<Record<string, unknown>>(scanned.file, {
    header: true,
    // Blank lines stay in so that the numbers we report are the file's own line numbers.
    skipEmptyLines: false,
    chunkSize: CHUNK_BYTES,
    chunk: (results, parser) => {
      for (const record of results.data) {
        line += 1
        const body = toImportRow(record, line, mapping)
        if (body) {
          pending.push({ body, data: record })
          pendingBytes += JSON.stringify(body).length
        }
      }
      if (!batchFull()) return
      parser.pause()
      void (async () => {
        try {
          while (batchFull()) await send(false, takeBatch())
          parser.resume()
        } catch (error) {
          fail(error)
          parser.abort()
        }
      })()
    },
    complete: () => {
      if (failed) return
      void (async () => {
        while (pending.length > 0) {
          const batch = takeBatch()
          await send(pending.length === 0, batch)
        }
        if (state.report?.status !== 'completed') await send(true, [])
        set({ done: true })
      })().catch(fail)
    },
    error: (error) => fail(error),
  })
}

async function postWithRetry(body: unknown): Promise<ImportBatchResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api<ImportBatchResponse>('/api/contacts/import', { body })
    } catch (error) {
      // Only a lost connection or a server fault is worth another try; the server skips rows it already has.
      const status = (error as { status?: number }).status
      if (attempt >= 3 || (status !== undefined && status < 500)) throw error
      await new Promise((r) => setTimeout(r, 1000 * attempt))
    }
  }
}
