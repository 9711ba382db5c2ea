'use client'
// The scrolling history of one conversation: day separators, bubbles with their quotes and reactions,
// older pages on scroll up (keeping the reader's place) and sticking to the bottom as new messages arrive.
import { Loader2 } from 'lucide-react'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { toast } from 'sonner'
import type { ChatMessage } from './inbox-api'
import { useInboxStore } from './inbox-store'
import { MessageBubble, type Reaction } from './message-bubble'
import { previewOf, readMessage, type MessageView } from './read-message'
import { useMessages, useSendMessage } from './use-inbox-queries'

const dayLabel = (iso: string) => {
  const day = new Date(iso)
  const today = new Date()
  const yesterday = new Date(today.getTime() - 86_400_000)
  if (day.toDateString() === today.toDateString()) return 'Today'
  if (day.toDateString() === yesterday.toDateString()) return 'Yesterday'
  return day.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: day.getFullYear() === today.getFullYear() ? undefined : 'numeric' })
}

interface Row {
  message: ChatMessage
  view: MessageView
  day: string | null
}

/** Oldest first, reactions folded onto their targets (the latest from each side wins; an empty emoji takes it back). */
function arrange(messages: ChatMessage[]) {
  const chronological = [...new Map(messages.map((m) => [m.id, m])).values()].sort(
    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id),
  )
  const reactions = new Map<string, Map<Reaction['from'], string | null>>()
  const rows: Row[] = []
  const byWamid = new Map<string, ChatMessage>()
  let lastDay = ''
  for (const message of chronological) {
    const view = readMessage(message)
    if (view.kind === 'reaction') {
      const from = message.direction === 'outbound' ? 'you' : 'customer'
      const onTarget = reactions.get(view.targetWamid) ?? new Map()
      onTarget.set(from, view.emoji)
      reactions.set(view.targetWamid, onTarget)
      continue
    }
    if (message.wamid) byWamid.set(message.wamid, message)
    const day = new Date(message.timestamp).toDateString()
    rows.push({ message, view, day: day === lastDay ? null : dayLabel(message.timestamp) })
    lastDay = day
  }
  const reactionsOf = (wamid: string | null): Reaction[] =>
    wamid
      ? [...(reactions.get(wamid) ?? new Map<Reaction['from'], string | null>()).entries()].flatMap(([from, emoji]) => (emoji ? [{ from, emoji }] : []))
      : []
  return { rows, byWamid, reactionsOf }
}

export function MessageLog({ conversationId }: { conversationId: string }) {
  const messages = useMessages(conversationId)
  const send = useSendMessage(conversationId)
  const setReplyTo = useInboxStore((s) => s.setReplyTo)
  const requestFocus = useInboxStore((s) => s.requestFocus)
  const scroller = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const keepFromBottom = useRef<number | null>(null)
  const [highlight, setHighlight] = useState<string | null>(null)

  const { rows, byWamid, reactionsOf } = useMemo(() => arrange(messages.data?.pages.flatMap((p) => p.messages) ?? []), [messages.data])
  const newest = rows.at(-1)?.message.id
  const oldest = rows[0]?.message.id

  // Older messages were prepended: put the reader back where they were, measured from the bottom.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || keepFromBottom.current === null) return
    el.scrollTop = el.scrollHeight - keepFromBottom.current
    keepFromBottom.current = null
  }, [oldest])

  useLayoutEffect(() => {
    const el = scroller.current
    if (el && atBottom.current) el.scrollTop = el.scrollHeight
  }, [newest, rows.length])

  // Images and players grow after they load; a reader at the bottom stays there.
  const content = useRef<HTMLDivElement>(null)
  const ready = !messages.isPending
  useEffect(() => {
    const el = scroller.current
    if (!ready || !el || !content.current) return
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight
    })
    observer.observe(content.current)
    return () => observer.disconnect()
  }, [ready])

  const loadOlder = () => {
    const el = scroller.current
    if (!el || !messages.hasNextPage || messages.isFetchingNextPage) return
    keepFromBottom.current = el.scrollHeight - el.scrollTop
    void messages.fetchNextPage()
  }

  const onScroll = () => {
    const el = scroller.current
    if (!el) return
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80
    if (el.scrollTop < 200) loadOlder()
  }

  const jumpTo = (messageId: string) => {
    const el = document.getElementById(`message-${messageId}`)
    if (!el) {
      toast.info('That message is further back; scroll up to load it.')
      return
    }
    el.scrollIntoView({ behavior: 'smooth', block: 'center' })
    setHighlight(messageId)
    window.setTimeout(() => setHighlight((h) => (h === messageId ? null : h)), 1600)
  }

  const react = (message: ChatMessage, emoji: string) =>
    send.mutate(
      { type: 'reaction', reaction: { message_id: message.wamid, emoji } },
      { onError: (error) => toast.error(`Reaction not sent: ${error.message}`) },
    )

  if (messages.isPending)
    return (
      <div className="flex flex-1 items-center justify-center text-sm text-slate-500">
        <Loader2 aria-hidden className="mr-2 h-4 w-4 animate-spin" /> Loading messages…
      </div>
    )
  if (messages.error)
    return (
      <p role="alert" className="flex-1 p-6 text-sm text-red-600">
        {messages.error.message}
      </p>
    )

  return (
    <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto bg-[#efeae2] py-3">
      {messages.isFetchingNextPage && (
        <p className="flex items-center justify-center py-2 text-xs text-slate-500">
          <Loader2 aria-hidden className="mr-1 h-3 w-3 animate-spin" /> Loading older messages…
        </p>
      )}
      {!messages.hasNextPage && rows.length > 0 && <p className="py-2 text-center text-xs text-slate-500">Start of the conversation</p>}
      {rows.length === 0 && <p className="py-12 text-center text-sm text-slate-500">No messages yet.</p>}
      <div ref={content} role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {rows.map(({ message, view, day }) => {
          const target = message.quoted ?? (message.replyToWamid ? byWamid.get(message.replyToWamid) : undefined)
          const quoted = target
            ? { id: target.id, preview: 'preview' in target ? target.preview : previewOf(target), mine: target.direction === 'outbound' }
            : message.replyToWamid
              ? { id: null, preview: 'An earlier message', mine: false }
              : null
          return (
            <div key={message.id}>
              {day && (
                <div className="sticky top-0 z-10 flex justify-center py-2" role="separator" aria-label={day}>
                  <span className="rounded-full bg-white/90 px-3 py-0.5 text-xs font-medium text-slate-600 shadow-sm">{day}</span>
                </div>
              )}
              <MessageBubble
                message={message}
                view={view}
                reactions={reactionsOf(message.wamid)}
                quoted={quoted}
                highlighted={highlight === message.id}
                onReply={() => {
                  setReplyTo(message)
                  requestFocus('composer')
                }}
                onReact={(emoji) => react(message, emoji)}
                onJumpTo={jumpTo}
              />
            </div>
          )
        })}
      </div>
    </div>
  )
}
