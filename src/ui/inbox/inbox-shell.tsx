'use client'
// The inbox frame: status tabs and the conversation list of the active workspace.
import { useQuery } from '@tanstack/react-query'
import { MessageCircle } from 'lucide-react'
import { useState } from 'react'
import { api } from '@/ui/api/api-client'
import { queryKeys } from '@/ui/api/query-keys'
import type { ConversationsResponse } from '@/ui/api/types'
import { useSession } from '@/ui/api/use-session'

const TABS = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'resolved', label: 'Resolved' },
  { value: undefined, label: 'All' },
] as const

export function InboxShell() {
  const { data: session } = useSession()
  const [status, setStatus] = useState<string | undefined>('open')
  const tenantId = session?.activeTenantId ?? null
  const conversations = useQuery({
    queryKey: queryKeys.conversations(tenantId, status),
    queryFn: () => api<ConversationsResponse>(`/api/conversations${status ? `?status=${status}` : ''}`),
    enabled: tenantId !== null,
  })

  return (
    <section aria-labelledby="inbox-title" className="mx-auto max-w-4xl">
      <h1 id="inbox-title" className="mb-4 text-2xl font-semibold">
        Inbox
      </h1>
      <div role="tablist" aria-label="Conversation status" className="mb-4 flex gap-2">
        {TABS.map((tab) => (
          <button
            key={tab.label}
            role="tab"
            type="button"
            aria-selected={status === tab.value}
            onClick={() => setStatus(tab.value)}
            className="rounded-full border border-slate-300 px-3 py-1 text-sm aria-selected:border-brand-600 aria-selected:bg-brand-600 aria-selected:text-white"
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="rounded-xl border border-slate-200 bg-white">
        {conversations.isPending ? (
          <p className="p-6 text-sm text-slate-500">Loading conversations…</p>
        ) : conversations.error ? (
          <p role="alert" className="p-6 text-sm text-red-600">
            {conversations.error.message}
          </p>
        ) : conversations.data.conversations.length === 0 ? (
          <div className="flex flex-col items-center gap-2 p-12 text-center text-slate-500">
            <MessageCircle aria-hidden className="h-10 w-10" />
            <p className="font-medium text-slate-700">No conversations yet</p>
            <p className="text-sm">Messages from your customers will appear here as soon as a WhatsApp number is connected.</p>
          </div>
        ) : (
          <ul aria-label="Conversations" className="divide-y divide-slate-100">
            {conversations.data.conversations.map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-4 p-4">
                <div className="min-w-0">
                  <p className="truncate font-medium">{c.contactName ?? `+${c.contactWaId}`}</p>
                  <p className="truncate text-sm text-slate-500">{c.lastMessagePreview ?? ' '}</p>
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1 text-xs text-slate-500">
                  {c.lastMessageAt && <time dateTime={c.lastMessageAt}>{new Date(c.lastMessageAt).toLocaleString()}</time>}
                  {c.unreadCount > 0 && (
                    <span className="rounded-full bg-brand-600 px-2 py-0.5 font-semibold text-white" aria-label={`${c.unreadCount} unread`}>
                      {c.unreadCount}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
