'use client'
// One message in the chat: its bubble (inbound left, outbound right, private notes yellow), the quote it
// replies to, its reactions, delivery ticks with Meta's reason on failure, and a menu to reply or react.
import { Check, CheckCheck, Clock, CornerUpLeft, SmilePlus, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import type { ChatMessage } from './inbox-api'
import { MessageBody } from './message-body'
import type { MessageView } from './read-message'

const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏']

export interface Reaction {
  emoji: string
  from: 'customer' | 'you'
}

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })

function DeliveryTicks({ message }: { message: ChatMessage }) {
  switch (message.status) {
    case 'read':
      return <CheckCheck role="img" aria-label="Read" className="h-4 w-4 text-sky-500" />
    case 'delivered':
      return <CheckCheck role="img" aria-label="Delivered" className="h-4 w-4 text-slate-400" />
    case 'sent':
      return <Check role="img" aria-label="Sent" className="h-4 w-4 text-slate-400" />
    case 'failed': {
      const reason = [message.errorTitle, message.errorDetails].filter(Boolean).join(' — ') || 'WhatsApp did not deliver this message'
      const text = `Failed${message.errorCode ? ` (${message.errorCode})` : ''}: ${reason}`
      return (
        <span title={text} className="inline-flex items-center">
          <TriangleAlert aria-hidden className="h-4 w-4 text-red-600" />
          <span className="sr-only">{text}</span>
        </span>
      )
    }
    default:
      return <Clock role="img" aria-label="Sending" className="h-3.5 w-3.5 text-slate-400" />
  }
}

interface Props {
  message: ChatMessage
  view: MessageView
  reactions: Reaction[]
  quoted: { id: string | null; preview: string; mine: boolean } | null
  highlighted: boolean
  onReply(): void
  onReact(emoji: string): void
  onJumpTo(messageId: string): void
}

export function MessageBubble({ message, view, reactions, quoted, highlighted, onReply, onReact, onJumpTo }: Props) {
  const [picking, setPicking] = useState(false)
  const note = message.type === 'note'
  const outbound = message.direction === 'outbound' || note
  // Replies and reactions point at Meta's id, which a message only has once Meta accepted it.
  const canReact = message.wamid !== null && !note
  const tone = note ? 'bg-amber-100 border border-amber-300' : outbound ? 'bg-brand-50 border border-brand-100' : 'bg-white border border-slate-200'
  const failed = message.status === 'failed'

  return (
    <div
      id={`message-${message.id}`}
      data-message-id={message.id}
      className={`group flex ${outbound ? 'justify-end' : 'justify-start'} px-3 py-0.5 md:px-6`}
    >
      <div className={`relative flex max-w-[85%] flex-col md:max-w-[70%] ${outbound ? 'items-end' : 'items-start'}`}>
        <article
          aria-label={`${note ? 'Private note' : outbound ? 'You' : 'Customer'} at ${time(message.timestamp)}`}
          className={`rounded-2xl px-3 py-2 text-sm shadow-sm transition ${tone} ${highlighted ? 'ring-2 ring-sky-400' : ''} ${failed ? 'border-red-300' : ''}`}
        >
          {note && <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-amber-800">Private note</p>}
          {quoted && (
            <button
              type="button"
              onClick={() => quoted.id && onJumpTo(quoted.id)}
              disabled={!quoted.id}
              className="mb-1 block w-full rounded-md border-l-4 border-brand-500 bg-black/5 px-2 py-1 text-left text-xs text-slate-600 hover:bg-black/10 disabled:cursor-default"
              aria-label={`Replying to: ${quoted.preview}`}
            >
              <span className="block font-semibold text-brand-700">{quoted.mine ? 'You' : 'Customer'}</span>
              <span className="line-clamp-2">{quoted.preview}</span>
            </button>
          )}
          <MessageBody message={message} view={view} />
          <p className="mt-1 flex items-center justify-end gap-1 text-[11px] text-slate-500">
            {message.sentBy?.name && outbound && <span className="truncate">{message.sentBy.name} ·</span>}
            <time dateTime={message.timestamp}>{time(message.timestamp)}</time>
            {message.direction === 'outbound' && !note && <DeliveryTicks message={message} />}
          </p>
          {failed && (
            <p className="mt-1 text-xs text-red-700">
              {message.errorTitle ?? 'Not delivered'}
              {message.errorDetails && <span className="block text-red-600">{message.errorDetails}</span>}
            </p>
          )}
        </article>
        {reactions.length > 0 && (
          <ul aria-label="Reactions" className={`-mt-2 flex gap-0.5 rounded-full border border-slate-200 bg-white px-1.5 py-0.5 text-sm shadow-sm ${outbound ? 'mr-2' : 'ml-2'}`}>
            {reactions.map((r) => (
              <li key={r.from} title={`${r.from === 'you' ? 'You' : 'Customer'} reacted ${r.emoji}`} aria-label={`${r.from === 'you' ? 'You' : 'Customer'} reacted ${r.emoji}`}>
                {r.emoji}
              </li>
            ))}
          </ul>
        )}
        {!note && (
          <div
            className={`absolute top-0 ${outbound ? 'right-full mr-1' : 'left-full ml-1'} flex items-center gap-0.5 opacity-0 transition group-focus-within:opacity-100 group-hover:opacity-100 ${picking ? 'opacity-100' : ''}`}
          >
            {canReact && (
              <button type="button" onClick={onReply} aria-label="Reply" title="Reply" className="rounded-full bg-white p-1.5 text-slate-600 shadow hover:bg-slate-100">
                <CornerUpLeft aria-hidden className="h-4 w-4" />
              </button>
            )}
            {canReact && (
              <button
                type="button"
                onClick={() => setPicking((p) => !p)}
                aria-label="React"
                aria-expanded={picking}
                title="React"
                className="rounded-full bg-white p-1.5 text-slate-600 shadow hover:bg-slate-100"
              >
                <SmilePlus aria-hidden className="h-4 w-4" />
              </button>
            )}
            {picking && (
              <div role="group" aria-label="Pick a reaction" className="flex gap-0.5 rounded-full bg-white p-1 shadow-lg" onKeyDown={(e) => e.key === 'Escape' && setPicking(false)}>
                {QUICK_REACTIONS.map((emoji) => (
                  <button
                    key={emoji}
                    type="button"
                    aria-label={`React ${emoji}`}
                    onClick={() => {
                      setPicking(false)
                      onReact(emoji)
                    }}
                    className="rounded-full px-1 text-lg hover:bg-slate-100"
                  >
                    {emoji}
                  </button>
                ))}
                {reactions.some((r) => r.from === 'you') && (
                  <button
                    type="button"
                    aria-label="Remove my reaction"
                    onClick={() => {
                      setPicking(false)
                      onReact('')
                    }}
                    className="rounded-full px-2 text-xs text-slate-500 hover:bg-slate-100"
                  >
                    Remove
                  </button>
                )}
              </div>
            )}
          </div>
        )}
      </div>
    </div>
  )
}
