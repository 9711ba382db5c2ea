'use client'
// Keyboard shortcuts for the inbox, ignored while the agent types in a field or holds a modifier.
import { useEffect, useRef } from 'react'

export const SHORTCUTS: [key: string, what: string][] = [
  ['j / k', 'Next / previous conversation'],
  ['/', 'Search conversations'],
  ['r', 'Write a reply'],
  ['n', 'Toggle private note mode'],
  ['e', 'Resolve the conversation'],
  ['a', 'Assign the conversation to me'],
  ['Esc', 'Close panels and dialogs'],
  ['?', 'Show these shortcuts'],
]

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

export function useInboxShortcuts(handlers: Record<string, () => void>) {
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return
      // Esc still closes panels from a field; every other key belongs to the field.
      if (e.key !== 'Escape' && typingIn(e.target)) return
      // An open dialog handles its own keys, Esc included.
      if (document.querySelector('dialog[open]')) return
      const handler = latest.current[e.key]
      if (!handler) return
      e.preventDefault()
      handler()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
