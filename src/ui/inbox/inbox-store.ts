'use client'
// UI-only inbox state: list filters, the composer's mode and reply target, which panels are open, and
// focus requests from keyboard shortcuts. Server data stays in react-query.
import { create } from 'zustand'
import type { ChatMessage, ConversationFilters } from './inbox-api'

interface InboxUiState {
  filters: ConversationFilters
  setFilters(patch: Partial<ConversationFilters>): void
  replyTo: ChatMessage | null
  setReplyTo(message: ChatMessage | null): void
  noteMode: boolean
  setNoteMode(on: boolean): void
  detailsOpen: boolean
  setDetailsOpen(open: boolean): void
  shortcutsOpen: boolean
  setShortcutsOpen(open: boolean): void
  /** Bumped to ask a field to take focus; the field focuses itself when it sees a new value. */
  focusComposer: number
  focusSearch: number
  requestFocus(target: 'composer' | 'search'): void
}

export const DEFAULT_FILTERS: ConversationFilters = { status: 'open', view: 'all', numberId: '', tag: '', unread: false, q: '' }

export const useInboxStore = create<InboxUiState>((set) => ({
  filters: DEFAULT_FILTERS,
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  replyTo: null,
  setReplyTo: (replyTo) => set({ replyTo }),
  noteMode: false,
  setNoteMode: (noteMode) => set({ noteMode }),
  detailsOpen: false,
  setDetailsOpen: (detailsOpen) => set({ detailsOpen }),
  shortcutsOpen: false,
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  focusComposer: 0,
  focusSearch: 0,
  requestFocus: (target) => set((s) => (target === 'composer' ? { focusComposer: s.focusComposer + 1 } : { focusSearch: s.focusSearch + 1 })),
}))
