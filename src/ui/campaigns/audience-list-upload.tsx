'use client'
// The list audience: read a CSV in the browser, pick the column with the phone numbers, and post the
// numbers 5,000 at a time with a progress bar; numbers that match no valid phone come back listed.
import Papa from 'papaparse'
import { useId, useState } from 'react'
import { inputClass, primaryButton, secondaryButton } from '@/ui/inbox/modal'
import { DefaultCountryField } from '@/ui/components/default-country-field'
import { chunksOf, guessPhoneColumn, phonesOf, UPLOAD_CHUNK } from './audience-upload'
import type { AudienceListResult } from './campaigns-api'
import { ProgressBar } from './progress-bar'
import { useAddToList } from './use-campaigns'

const SHOWN_INVALID = 50

interface ParsedFile {
  name: string
  headers: string[]
  rows: Record<string, string>[]
}
interface Upload {
  sent: number
  total: number
  added: number
  invalid: AudienceListResult['invalid']
  error: string | null
  done: boolean
}

interface Props {
  campaignId: string
  initialSize: number
  /** Saves the draft first, so the list lands on a campaign whose audience is already a list. */
  beforeUpload(): Promise<boolean>
  onChanged(): void
}

export function AudienceListUpload({ campaignId, initialSize, beforeUpload, onChanged }: Props) {
  const id = useId()
  const addToList = useAddToList(campaignId)
  const [listSize, setListSize] = useState(initialSize)
  const [file, setFile] = useState<ParsedFile | null>(null)
  const [readError, setReadError] = useState<string | null>(null)
  const [column, setColumn] = useState('')
  const [country, setCountry] = useState('')
  const [replace, setReplace] = useState(initialSize > 0)
  const [upload, setUpload] = useState<Upload | null>(null)
  const running = upload !== null && !upload.done && upload.error === null
  const phones = file && column ? phonesOf(file.rows, column) : []

  const choose = (picked: File | undefined) => {
    setFile(null)
    setUpload(null)
    setReadError(null)
    if (!picked) return
    Papa.parse<Record<string, string>>(picked, {
      header: true,
      skipEmptyLines: 'greedy',
      complete: (result) => {
        const headers = (result.meta.fields ?? []).filter(Boolean)
        if (headers.length === 0) return setReadError('The file has no header line.')
        setFile({ name: picked.name, headers, rows: result.data })
        setColumn(guessPhoneColumn(headers) ?? '')
      },
      error: (error) => setReadError(`The file could not be read: ${error.message}`),
    })
  }

  const start = async () => {
    const chunks = chunksOf(phones, UPLOAD_CHUNK)
    let state: Upload = { sent: 0, total: phones.length, added: 0, invalid: [], error: null, done: false }
    setUpload(state)
    if (!(await beforeUpload())) return setUpload({ ...state, error: 'The campaign’s latest changes could not be saved.' })
    for (const [i, chunk] of chunks.entries()) {
      try {
        // Only the first chunk replaces; the rest add to what it left.
        const result = await addToList.mutateAsync({ phones: chunk, replace: replace && i === 0, ...(country ? { defaultCountry: country } : {}) })
        state = { ...state, sent: state.sent + chunk.length, added: state.added + result.added, invalid: [...state.invalid, ...result.invalid] }
        setUpload(state)
        setListSize(result.listSize)
        onChanged()
      } catch (error) {
        setUpload({ ...state, error: error instanceof Error ? error.message : String(error) })
        return
      }
    }
    setUpload({ ...state, done: true })
  }

  const clear = () => {
    if (!window.confirm('Remove every contact from this campaign’s list?')) return
    addToList.mutate(
      { replace: true },
      {
        onSuccess: (result) => {
          setListSize(result.listSize)
          setUpload(null)
          onChanged()
        },
        onError: (error) => setReadError(error.message),
      },
    )
  }

  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">The list</h2>
        <p className="text-sm">
          <span data-testid="list-size" className="font-semibold tabular-nums">
            {listSize.toLocaleString()}
          </span>{' '}
          contact{listSize === 1 ? '' : 's'} on the list
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-file`} className="mb-1 block text-sm font-medium text-slate-700">
            CSV file of phone numbers
          </label>
          <input id={`${id}-file`} type="file" accept=".csv,text/csv" disabled={running} onChange={(e) => choose(e.target.files?.[0])} className="block w-full text-sm" />
        </div>
        <DefaultCountryField id={`${id}-country`} value={country} disabled={running} inputClass={inputClass} onChange={setCountry} />
      </div>
      {readError && (
        <p role="alert" className="text-sm text-red-600">
          {readError}
        </p>
      )}
      {file && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={`${id}-column`} className="mb-1 block text-sm font-medium text-slate-700">
              Column with the phone numbers
            </label>
            <select id={`${id}-column`} value={column} disabled={running} onChange={(e) => setColumn(e.target.value)} className={inputClass}>
              {file.headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                  {file.rows[0]?.[h] ? ` (e.g. ${file.rows[0][h]})` : ''}
                </option>
              ))}
            </select>
            <p className="mt-1 text-xs text-slate-500">
              {file.name}: {phones.length.toLocaleString()} numbers in {file.rows.length.toLocaleString()} rows
            </p>
          </div>
          <div className="flex flex-col justify-end gap-2">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={replace} disabled={running} onChange={(e) => setReplace(e.target.checked)} className="accent-brand-600" />
              Replace the current list instead of adding to it
            </label>
            <button type="button" className={primaryButton} disabled={running || phones.length === 0 || (country !== '' && country.length !== 2)} onClick={() => void start()}>
              Upload {phones.length.toLocaleString()} numbers
            </button>
          </div>
        </div>
      )}
      {upload && (
        <div className="space-y-2">
          <div className="flex justify-between text-sm">
            <span>{upload.error ? 'Upload stopped' : upload.done ? 'Upload finished' : 'Uploading…'}</span>
            <span className="tabular-nums">
              {upload.sent.toLocaleString()} / {upload.total.toLocaleString()}
            </span>
          </div>
          <ProgressBar label="Upload progress" value={upload.sent} max={upload.total} className="h-3" tone={upload.error ? 'bg-red-500' : 'bg-brand-600'} />
          <p className="text-sm" aria-live="polite">
            <span data-testid="upload-added">{upload.added.toLocaleString()}</span> added, <span data-testid="upload-invalid">{upload.invalid.length.toLocaleString()}</span> not
            valid numbers.
          </p>
          {upload.error && (
            <p role="alert" className="text-sm text-red-600">
              {upload.error} Numbers before it were added; upload the file again to add the rest (numbers already on the list are not added twice).
            </p>
          )}
          {upload.invalid.length > 0 && (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-700">Numbers that were not added</summary>
              <ul className="mt-1 max-h-48 overflow-auto rounded-md bg-slate-50 p-2 text-xs">
                {upload.invalid.slice(0, SHOWN_INVALID).map((v, i) => (
                  <li key={i}>
                    <span className="font-mono">{v.value}</span>: {v.reason}
                  </li>
                ))}
              </ul>
              {upload.invalid.length > SHOWN_INVALID && <p className="text-xs text-slate-500">The first {SHOWN_INVALID} are shown.</p>}
            </details>
          )}
        </div>
      )}
      {listSize > 0 && !running && (
        <button type="button" className={secondaryButton} onClick={clear} disabled={addToList.isPending}>
          Clear the list
        </button>
      )}
    </div>
  )
}
