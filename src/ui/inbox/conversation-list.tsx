'use client'
// The left column: status tabs, ownership and number/tag/unread filters, a debounced search (names,
// phones and message text, with the matching message shown) and the virtualised, endlessly scrolling list.
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Loader2, MessageCircle, Search, SlidersHorizontal } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useRef, useState } from 'react'
import { contactLabel, type ConversationFilters, type ConversationPage, type ConversationSummary } from './inbox-api'
import { DEFAULT_FILTERS, useInboxStore } from './inbox-store'
import { inputClass } from './modal'
import { WhatsAppText } from './whatsapp-text'
import { useNumbers } from '@/ui/api/numbers'

const TABS = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const

const VIEWS = [
  { value: 'all', label: 'Everyone' },
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
] as const

function shortTime(iso: string | null) {
  if (!iso) return ''
  const date = new Date(iso)
  const now = new Date()
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
  if (now.getTime() - date.getTime() < 6 * 86_400_000) return date.toLocaleDateString(undefined, { weekday: 'short' })
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?'

function Row({ c, selected, filters }: { c: ConversationSummary; selected: boolean; filters: ConversationFilters }) {
  const name = contactLabel(c)
  const params = new URLSearchParams({ conversation: c.id })
  return (
    <Link
      href={`/inbox?${params}`}
      scroll={false}
      aria-current={selected ? 'true' : undefined}
      className={`flex h-full gap-3 border-b border-slate-100 px-3 py-2.5 hover:bg-slate-50 aria-[current=true]:bg-brand-50`}
    >
      <span aria-hidden className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold text-slate-600">
        {initials(name)}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline justify-between gap-2">
          <span className={`truncate ${c.unreadCount > 0 ? 'font-semibold' : 'font-medium'}`}>{name}</span>
          {c.lastMessageAt && (
            <time dateTime={c.lastMessageAt} className={`shrink-0 text-xs ${c.unreadCount > 0 ? 'text-brand-700' : 'text-slate-500'}`}>
              {shortTime(c.lastMessageAt)}
            </time>
          )}
        </span>
        <span className="flex items-center justify-between gap-2">
          <span className="truncate text-sm text-slate-500">
            {filters.q && c.matchedMessage ? (
              <mark className="bg-amber-100 text-slate-700">{c.matchedMessage.preview}</mark>
            ) : c.lastMessagePreview ? (
              <WhatsAppText text={c.lastMessagePreview} inline />
            ) : (
              ' '
            )}
          </span>
          <span className="flex shrink-0 items-center gap-1">
            {filters.status === 'all' && c.status !== 'open' && (
              <span className="rounded bg-slate-100 px-1 text-[10px] uppercase text-slate-600">{c.status}</span>
            )}
            {c.assigneeName && (
              <span title={`Assigned to ${c.assigneeName}`} aria-label={`Assigned to ${c.assigneeName}`} className="flex h-5 w-5 items-center justify-center rounded-full bg-sky-100 text-[9px] font-semibold text-sky-800">
                {initials(c.assigneeName)}
              </span>
            )}
            {c.unreadCount > 0 && (
              <span className="min-w-5 rounded-full bg-brand-600 px-1.5 text-center text-xs font-semibold text-white" aria-label={`${c.unreadCount} unread`}>
                {c.unreadCount}
              </span>
            )}
          </span>
        </span>
        {c.tags.length > 0 && (
          <span className="mt-0.5 flex gap-1 overflow-hidden">
            {c.tags.slice(0, 3).map((t) => (
              <span key={t} className="truncate rounded bg-slate-100 px-1 text-[10px] text-slate-600">
                {t}
              </span>
            ))}
          </span>
        )}
      </span>
    </Link>
  )
}

interface Props {
  selectedId: string | null
  list: UseInfiniteQueryResult<InfiniteData<ConversationPage>>
  rows: ConversationSummary[]
}

export function ConversationList({ selectedId, list, rows }: Props) {
  const { filters, setFilters, focusSearch } = useInboxStore()
  const numbers = useNumbers()
  const [query, setQuery] = useState(filters.q)
  const [showFilters, setShowFilters] = useState(false)
  const search = useRef<HTMLInputElement>(null)
  const scroller = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const timer = window.setTimeout(() => setFilters({ q: query }), 300)
    return () => window.clearTimeout(timer)
  }, [query, setFilters])
  useEffect(() => {
    if (focusSearch) search.current?.focus()
  }, [focusSearch])

  // The virtualizer hands back fresh functions each render by design; nothing here memoises them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 8,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? -1
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage()
  }, [lastIndex, rows.length, list])

  const narrowed = filters.view !== 'all' || filters.numberId || filters.tag || filters.unread || filters.q
  const activeFilters = [filters.view !== 'all', filters.numberId, filters.tag, filters.unread].filter(Boolean).length

  return (
    <section aria-label="Conversation list" className="flex h-full min-h-0 flex-col bg-white">
      <div className="flex flex-col gap-2 border-b border-slate-200 p-3">
        <div className="flex items-center justify-between">
          <h1 className="text-lg font-semibold">Inbox</h1>
          <button
            type="button"
            aria-expanded={showFilters}
            aria-controls="inbox-filters"
            onClick={() => setShowFilters((s) => !s)}
            className="flex items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
          >
            <SlidersHorizontal aria-hidden className="h-4 w-4" /> Filters{activeFilters ? ` (${activeFilters})` : ''}
          </button>
        </div>
        <div className="relative">
          <Search aria-hidden className="pointer-events-none absolute top-2 left-2 h-4 w-4 text-slate-400" />
          <input
            ref={search}
            type="search"
            aria-label="Search conversations"
            placeholder="Search name, phone or message  ( / )"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className={`${inputClass} pl-8`}
          />
        </div>
        <div role="tablist" aria-label="Conversation status" className="flex gap-1">
          {TABS.map((tab) => (
            <button
              key={tab.value}
              role="tab"
              type="button"
              aria-selected={filters.status === tab.value}
              onClick={() => setFilters({ status: tab.value })}
              className="flex-1 rounded-full border border-slate-200 px-2 py-1 text-xs font-medium text-slate-600 aria-selected:border-brand-600 aria-selected:bg-brand-600 aria-selected:text-white"
            >
              {tab.label}
            </button>
          ))}
        </div>
        {showFilters && (
          <div id="inbox-filters" className="grid grid-cols-2 gap-2 text-xs">
            <label className="flex flex-col gap-0.5">
              Assigned to
              <select aria-label="Assigned to" className={inputClass} value={filters.view} onChange={(e) => setFilters({ view: e.target.value as ConversationFilters['view'] })}>
                {VIEWS.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-0.5">
              Number
              <select aria-label="Number" className={inputClass} value={filters.numberId} onChange={(e) => setFilters({ numberId: e.target.value })}>
                <option value="">All numbers</option>
                {numbers.data?.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.verifiedName ?? n.displayPhoneNumber ?? n.phoneNumberId}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-0.5">
              Tag
              <input className={inputClass} value={filters.tag} onChange={(e) => setFilters({ tag: e.target.value.trim() })} placeholder="any" />
            </label>
            <label className="flex items-center gap-1 self-end pb-1.5">
              <input type="checkbox" checked={filters.unread} onChange={(e) => setFilters({ unread: e.target.checked })} /> Unread only
            </label>
            {activeFilters > 0 && (
              <button
                type="button"
                className="col-span-2 justify-self-start text-brand-700 hover:underline"
                onClick={() => setFilters({ ...DEFAULT_FILTERS, status: filters.status, q: filters.q })}
              >
                Clear filters
              </button>
            )}
          </div>
        )}
      </div>
      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto">
        {list.isPending ? (
          <p className="flex items-center gap-2 p-6 text-sm text-slate-500">
            <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> Loading conversations…
          </p>
        ) : list.error ? (
          <p role="alert" className="p-6 text-sm text-red-600">
            {list.error.message}
          </p>
        ) : rows.length === 0 ? (
          <div className="flex flex-col items-center gap-2 p-10 text-center text-slate-500">
            <MessageCircle aria-hidden className="h-10 w-10" />
            {narrowed ? (
              <p className="font-medium text-slate-700">No conversations match</p>
            ) : (
              <>
                <p className="font-medium text-slate-700">No conversations yet</p>
                <p className="text-sm">Messages from your customers will appear here as soon as a WhatsApp number is connected.</p>
              </>
            )}
          </div>
        ) : (
          <ul aria-label="Conversations" className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const c = rows[item.index]
              return (
                <li
                  key={c?.id ?? 'more'}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="absolute top-0 left-0 w-full"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {c ? (
                    <Row c={c} selected={c.id === selectedId} filters={filters} />
                  ) : (
                    <p className="flex items-center justify-center gap-2 p-4 text-xs text-slate-500">
                      <Loader2 aria-hidden className="h-3 w-3 animate-spin" /> Loading more…
                    </p>
                  )}
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </section>
  )
}
