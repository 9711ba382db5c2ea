'use client'
// The campaign's recipients: filter by status (or by the error code picked in the failures table),
// search by name or number, page on with "Load more", open each conversation, export the filter as CSV.
import { Download, MessagesSquare, Search, X } from 'lucide-react'
import Link from 'next/link'
import { useId, useState } from 'react'
import { RECIPIENT_STATUSES, type RecipientStatus } from '@/core/campaigns/campaign-schemas'
import { inputClass, secondaryButton } from '@/ui/inbox/modal'
import { dateTimeLabel } from '@/ui/components/date-time'
import { recipientParams, type RecipientFilter, type RecipientRow } from './campaigns-api'
import { useRecipients } from './use-campaigns'
import { displayPhone } from '@/core/util/display-phone'

const STATUS_TONE: Record<RecipientStatus, string> = {
  pending: 'bg-slate-100 text-slate-600',
  queued: 'bg-slate-100 text-slate-700',
  sent: 'bg-sky-50 text-sky-700',
  delivered: 'bg-brand-50 text-brand-700',
  read: 'bg-emerald-50 text-emerald-700',
  replied: 'bg-violet-50 text-violet-700',
  failed: 'bg-red-50 text-red-700',
  skipped: 'bg-amber-50 text-amber-800',
}

interface Props {
  campaignId: string
  filter: RecipientFilter
  onFilter(filter: RecipientFilter): void
  live: boolean
}

export function RecipientTable({ campaignId, filter, onFilter, live }: Props) {
  const id = useId()
  const [search, setSearch] = useState(filter.q)
  const recipients = useRecipients(campaignId, filter, live)
  const rows = recipients.data?.pages.flatMap((p) => p.recipients) ?? []
  // The export takes the status and error code; a text search narrows the screen only.
  const exportParams = recipientParams({ ...filter, q: '' })

  return (
    <div className="space-y-3">
      <div role="group" aria-label="Filter recipients by status" className="flex flex-wrap gap-1">
        {(['all', ...RECIPIENT_STATUSES] as const).map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={filter.status === s}
            onClick={() => onFilter({ ...filter, status: s, errorCode: s === 'failed' ? filter.errorCode : null })}
            className="rounded-full border border-slate-200 bg-white px-3 py-1 text-sm capitalize hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 aria-pressed:border-brand-600 aria-pressed:bg-brand-50 aria-pressed:text-brand-700"
          >
            {s}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <form
          role="search"
          aria-label="Search recipients"
          className="flex min-w-0 flex-1 items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            onFilter({ ...filter, q: search })
          }}
        >
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-q`} className="mb-1 block text-xs font-medium text-slate-600">
              Name or phone
            </label>
            <input id={`${id}-q`} type="search" value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)} className={inputClass} />
          </div>
          <button type="submit" className={`${secondaryButton} inline-flex items-center gap-1.5`}>
            <Search aria-hidden className="h-4 w-4" /> Search
          </button>
        </form>
        <a href={`/api/campaigns/${campaignId}/recipients/export?${exportParams}`} download className={`${secondaryButton} inline-flex items-center gap-1.5`}>
          <Download aria-hidden className="h-4 w-4" /> Export CSV
        </a>
      </div>
      {filter.errorCode !== null && (
        <p className="flex items-center gap-2 text-sm">
          Showing failures with error <span className="font-mono">{filter.errorCode}</span>
          <button type="button" aria-label="Show every error code" onClick={() => onFilter({ ...filter, errorCode: null })} className="rounded-full p-1 hover:bg-slate-100">
            <X aria-hidden className="h-4 w-4" />
          </button>
        </p>
      )}

      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">Recipients</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">Contact</th>
              <th scope="col" className="px-3 py-2">Phone</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">Error</th>
              <th scope="col" className="hidden px-3 py-2 md:table-cell">Last update</th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Conversation</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <Row key={r.id} row={r} />
            ))}
          </tbody>
        </table>
        {recipients.isPending && <p className="p-4 text-sm text-slate-500">Fetching recipients…</p>}
        {recipients.isSuccess && rows.length === 0 && <p className="p-4 text-sm text-slate-500">No recipients match.</p>}
        {recipients.isError && (
          <p role="alert" className="p-4 text-sm text-red-600">
            {recipients.error.message}
          </p>
        )}
        {recipients.hasNextPage && (
          <div className="flex justify-center p-3">
            <button type="button" className={secondaryButton} disabled={recipients.isFetchingNextPage} onClick={() => void recipients.fetchNextPage()}>
              {recipients.isFetchingNextPage ? 'Fetching…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
    </div>
  )
}

function Row({ row: r }: { row: RecipientRow }) {
  const last = r.repliedAt ?? r.readAt ?? r.deliveredAt ?? r.failedAt ?? r.sentAt
  const who = r.name ?? (r.waId ? displayPhone(r.waId) : 'Unnamed contact')
  return (
    <tr>
      <td className="px-3 py-2">
        <Link href={`/contacts/${r.contactId}`} className="font-medium text-brand-700 hover:underline">
          {r.name ?? 'Unnamed'}
        </Link>
      </td>
      <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{r.waId ? displayPhone(r.waId) : '—'}</td>
      <td className="px-3 py-2">
        <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium capitalize ${STATUS_TONE[r.status]}`}>{r.status}</span>
      </td>
      <td className="px-3 py-2 text-xs">
        {r.errorCode !== null ? (
          <>
            <span className="font-mono">{r.errorCode}</span> {r.errorTitle}
          </>
        ) : (
          (r.skipReason ?? '')
        )}
      </td>
      <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 md:table-cell">{last ? <time dateTime={last}>{dateTimeLabel(last)}</time> : '—'}</td>
      <td className="px-3 py-2">
        {r.conversationId && (
          <Link href={`/inbox?conversation=${r.conversationId}`} aria-label={`Open conversation with ${who}`} className="inline-flex rounded p-1 text-brand-700 hover:bg-brand-50">
            <MessagesSquare aria-hidden className="h-4 w-4" />
          </Link>
        )}
      </td>
    </tr>
  )
}
