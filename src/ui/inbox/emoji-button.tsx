'use client'
// The composer's emoji picker (frimousse), opened from a button and closed by Esc or a click outside.
import { EmojiPicker } from 'frimousse'
import { Smile } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'

export function EmojiButton({ onPick }: { onPick(emoji: string): void }) {
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false)
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  return (
    <div ref={box} className="relative" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}>
      <button
        type="button"
        aria-label="Insert emoji"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="rounded-full p-2 text-slate-500 hover:bg-slate-100"
      >
        <Smile aria-hidden className="h-5 w-5" />
      </button>
      {open && (
        <EmojiPicker.Root
          // Served by the app (src/app/emoji-data): never a public CDN.
          emojibaseUrl="/emoji-data"
          onEmojiSelect={({ emoji }) => {
            onPick(emoji)
            setOpen(false)
          }}
          className="absolute bottom-full left-0 z-30 mb-2 flex h-80 w-72 flex-col rounded-xl border border-slate-200 bg-white shadow-xl"
        >
          <EmojiPicker.Search aria-label="Search emoji" autoFocus className="m-2 rounded-md border border-slate-300 px-2 py-1 text-sm" />
          <EmojiPicker.Viewport className="relative flex-1 outline-none">
            <EmojiPicker.Loading className="absolute inset-0 flex items-center justify-center text-sm text-slate-500">Loading…</EmojiPicker.Loading>
            <EmojiPicker.Empty className="absolute inset-0 flex items-center justify-center text-sm text-slate-500">No emoji found.</EmojiPicker.Empty>
            <EmojiPicker.List
              className="select-none pb-2"
              components={{
                CategoryHeader: ({ category, ...props }) => (
                  <div className="bg-white px-2 pt-2 pb-1 text-xs font-medium text-slate-500" {...props}>
                    {category.label}
                  </div>
                ),
                Row: ({ children, ...props }) => (
                  <div className="scroll-my-1 px-1" {...props}>
                    {children}
                  </div>
                ),
                Emoji: ({ emoji, ...props }) => (
                  <button className="flex size-7 items-center justify-center rounded-md text-lg data-[active]:bg-slate-100" {...props}>
                    {emoji.emoji}
                  </button>
                ),
              }}
            />
          </EmojiPicker.Viewport>
        </EmojiPicker.Root>
      )}
    </div>
  )
}
