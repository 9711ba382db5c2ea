'use client'
// The middle column: who the conversation is with, its history and the composer. Opening it (and any
// new customer message while it is open) marks it read, which also sends the customer blue ticks.
import { ArrowLeft, CheckCircle2, Info, Loader2, RotateCcw } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useRef } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { Composer } from './composer'
import { contactLabel } from './inbox-api'
import { useInboxStore } from './inbox-store'
import { MessageLog } from './message-log'
import { useConversation, useInvalidateConversation, useUpdateConversation } from './use-inbox-queries'
import { displayPhone } from '@/core/util/display-phone'

const STATUS_STYLE: Record<string, string> = {
  open: 'bg-brand-100 text-brand-700',
  pending: 'bg-amber-100 text-amber-800',
  resolved: 'bg-slate-200 text-slate-700',
}

export function ChatView({ conversationId }: { conversationId: string }) {
  const conversation = useConversation(conversationId)
  const update = useUpdateConversation(conversationId)
  const invalidate = useInvalidateConversation()
  const { detailsOpen, setDetailsOpen } = useInboxStore()
  const marking = useRef(false)
  const unread = conversation.data?.unreadCount ?? 0

  useEffect(() => {
    if (!conversation.data || unread === 0 || marking.current) return
    marking.current = true
    api(`/api/conversations/${conversationId}/read`, { method: 'POST' })
      .then(() => invalidate(conversationId, { messages: false }))
      .catch(() => undefined)
      .finally(() => {
        marking.current = false
      })
  }, [conversationId, unread, conversation.data, invalidate])

  if (conversation.isPending)
    return (
      <div className="flex h-full items-center justify-center text-sm text-slate-500">
        <Loader2 aria-hidden className="mr-2 h-4 w-4 animate-spin" /> Loading conversation…
      </div>
    )
  if (conversation.error)
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 p-6 text-center">
        <p role="alert" className="text-sm text-slate-700">
          {conversation.error.message === 'Conversation not found' ? 'This conversation does not exist in this workspace.' : conversation.error.message}
        </p>
        <Link href="/inbox" className="text-sm font-medium text-brand-700 hover:underline">
          Back to the inbox
        </Link>
      </div>
    )

  const c = conversation.data
  const resolved = c.status === 'resolved'
  return (
    <section aria-label={`Conversation with ${contactLabel(c)}`} className="flex h-full min-h-0 flex-col">
      <header className="flex items-center gap-2 border-b border-slate-200 bg-white px-2 py-2 md:px-4">
        <Link href="/inbox" aria-label="Back to conversations" className="rounded-full p-2 hover:bg-slate-100 md:hidden">
          <ArrowLeft aria-hidden className="h-5 w-5" />
        </Link>
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold">{contactLabel(c)}</h2>
          <p className="truncate text-xs text-slate-500">
            {displayPhone(c.contactWaId)}
            {c.assigneeName ? ` · ${c.assigneeName}` : ' · Unassigned'}
          </p>
        </div>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium capitalize ${STATUS_STYLE[c.status] ?? 'bg-slate-100'}`}>{c.status}</span>
        <button
          type="button"
          onClick={() =>
            update.mutate({ status: resolved ? 'open' : 'resolved' }, { onSuccess: () => toast.success(resolved ? 'Reopened' : 'Resolved'), onError: (e) => toast.error(e.message) })
          }
          disabled={update.isPending}
          className="flex items-center gap-1 rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50 disabled:opacity-50"
          title={resolved ? 'Reopen' : 'Resolve (e)'}
        >
          {resolved ? <RotateCcw aria-hidden className="h-4 w-4" /> : <CheckCircle2 aria-hidden className="h-4 w-4" />}
          <span className="hidden sm:inline">{resolved ? 'Reopen' : 'Resolve'}</span>
          <span className="sr-only sm:hidden">{resolved ? 'Reopen' : 'Resolve'}</span>
        </button>
        <button
          type="button"
          aria-label="Conversation details"
          aria-expanded={detailsOpen}
          onClick={() => setDetailsOpen(!detailsOpen)}
          className="rounded-full p-2 text-slate-600 hover:bg-slate-100"
        >
          <Info aria-hidden className="h-5 w-5" />
        </button>
      </header>
      <MessageLog conversationId={conversationId} />
      <Composer conversation={c} />
    </section>
  )
}
