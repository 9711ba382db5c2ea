'use client'
// Every message with this contact across conversations and numbers, newest first, each linking to
// its conversation in the inbox.
import Link from 'next/link'
import { useId } from 'react'
import { useContactMessages } from './use-contacts'
import { dateTimeLabel } from '@/ui/components/date-time'

export function ContactHistory({ contactId }: { contactId: string }) {
  const id = useId()
  const history = useContactMessages(contactId)
  const messages = history.data?.pages.flatMap((p) => p.messages) ?? []
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="font-semibold">
        Conversation history
      </h2>
      {history.isPending && <p className="text-sm text-slate-500">Loading messages…</p>}
      {!history.isPending && messages.length === 0 && <p className="text-sm text-slate-500">No messages with this contact yet.</p>}
      <ol className="space-y-2" aria-label="Messages, newest first">
        {messages.map((m) => (
          <li key={m.id} className={`rounded-lg border px-3 py-2 text-sm ${m.direction === 'inbound' ? 'border-slate-200 bg-slate-50' : 'border-brand-100 bg-brand-50'}`}>
            <div className="flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
              <span className="font-medium">{m.direction === 'inbound' ? 'Received' : 'Sent'}</span>
              <span>{m.type}</span>
              <time dateTime={m.timestamp}>{dateTimeLabel(m.timestamp)}</time>
              <span className={m.status === 'failed' ? 'text-red-700' : ''}>{m.status}</span>
              <Link href={`/inbox?conversation=${m.conversationId}`} className="ml-auto text-brand-700 hover:underline">
                Open conversation
              </Link>
            </div>
            <p className="mt-1 break-words">{m.preview}</p>
            {m.errorTitle && <p className="mt-1 text-xs text-red-700">{m.errorTitle}</p>}
          </li>
        ))}
      </ol>
      {history.hasNextPage && (
        <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {history.isFetchingNextPage ? 'Loading…' : 'Older messages'}
        </button>
      )}
    </section>
  )
}
