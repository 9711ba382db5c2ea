'use client'
// The team inbox: conversation list | chat | details on desktop, one column with back navigation on
// phones. The open conversation lives in the URL (?conversation=<id>) so other pages can link to it.
import { MessagesSquare } from 'lucide-react'
import { useRouter, useSearchParams } from 'next/navigation'
import { useEffect } from 'react'
import { toast } from 'sonner'
import { useSession } from '@/ui/api/use-session'
import { ChatView } from './chat-view'
import { ConversationList } from './conversation-list'
import { DetailsPanel } from './details-panel'
import { useInboxStore } from './inbox-store'
import { Modal } from './modal'
import { useConversation, useConversationList, useUpdateConversation } from './use-inbox-queries'
import { useInboxRealtime } from './use-inbox-realtime'
import { SHORTCUTS, useInboxShortcuts } from './use-inbox-shortcuts'

const WIDE = '(min-width: 1280px)'

export function InboxShell() {
  const router = useRouter()
  const selectedId = useSearchParams().get('conversation')
  const { data: session } = useSession()
  const store = useInboxStore()
  const list = useConversationList(store.filters)
  const rows = list.data?.pages.flatMap((p) => p.conversations) ?? []
  const selected = useConversation(selectedId)
  const update = useUpdateConversation(selectedId ?? '')
  const { setDetailsOpen, setReplyTo } = store
  useInboxRealtime()

  // A reply target belongs to the conversation it was picked in (the chat remounts per conversation).
  useEffect(() => setReplyTo(null), [selectedId, setReplyTo])

  useEffect(() => {
    if (window.matchMedia(WIDE).matches) setDetailsOpen(true)
  }, [setDetailsOpen])

  const open = (id: string | undefined) => id && router.push(`/inbox?conversation=${id}`, { scroll: false })
  const step = (by: 1 | -1) => {
    const index = rows.findIndex((c) => c.id === selectedId)
    open(rows[index === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, index + by))]?.id)
  }
  const patch = (body: { status?: string; assigneeId?: string }, done: string) =>
    selectedId && update.mutate(body, { onSuccess: () => toast.success(done), onError: (e) => toast.error(e.message) })

  useInboxShortcuts({
    j: () => step(1),
    k: () => step(-1),
    '/': () => store.requestFocus('search'),
    r: () => selectedId && store.requestFocus('composer'),
    n: () => {
      if (!selectedId) return
      store.setNoteMode(!store.noteMode)
      store.requestFocus('composer')
    },
    e: () => patch({ status: 'resolved' }, 'Resolved'),
    a: () => session && patch({ assigneeId: session.user.id }, 'Assigned to you'),
    '?': () => store.setShortcutsOpen(true),
    Escape: () => {
      if (store.replyTo) return store.setReplyTo(null)
      if (!window.matchMedia(WIDE).matches) store.setDetailsOpen(false)
      ;(document.activeElement as HTMLElement | null)?.blur()
    },
  })

  const showDetails = store.detailsOpen && selectedId && selected.data
  return (
    <div className="-m-4 flex h-[calc(100dvh-61px)] min-h-0 overflow-hidden bg-slate-100 md:-m-8 md:h-dvh">
      <div className={`${selectedId ? 'hidden md:flex' : 'flex'} w-full min-w-0 flex-col border-r border-slate-200 md:w-80 md:shrink-0 lg:w-96`}>
        <ConversationList selectedId={selectedId} list={list} rows={rows} />
      </div>
      <div className={`${selectedId ? 'flex' : 'hidden md:flex'} min-w-0 flex-1 flex-col`}>
        {selectedId ? (
          <ChatView key={selectedId} conversationId={selectedId} />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center gap-2 text-center text-slate-500">
            <MessagesSquare aria-hidden className="h-12 w-12" />
            <p className="font-medium text-slate-700">Pick a conversation</p>
            <p className="text-sm">
              Press <kbd className="rounded border border-slate-300 bg-white px-1">?</kbd> for keyboard shortcuts.
            </p>
          </div>
        )}
      </div>
      {showDetails && (
        <>
          <div aria-hidden className="fixed inset-0 z-30 bg-slate-900/30 xl:hidden" onClick={() => store.setDetailsOpen(false)} />
          <div className="fixed inset-y-0 right-0 z-40 w-80 max-w-[90vw] border-l border-slate-200 shadow-xl xl:static xl:z-auto xl:shadow-none">
            <DetailsPanel conversation={selected.data} onClose={() => store.setDetailsOpen(false)} />
          </div>
        </>
      )}
      {store.shortcutsOpen && (
        <Modal title="Keyboard shortcuts" onClose={() => store.setShortcutsOpen(false)}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {SHORTCUTS.map(([key, what]) => (
              <div key={key} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </Modal>
      )}
    </div>
  )
}
