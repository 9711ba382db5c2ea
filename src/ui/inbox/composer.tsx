'use client'
// Where the agent writes: text (Enter sends, Shift+Enter breaks the line), emoji, attachments checked
// against Meta's rules, replies, interactive messages, locations, contact cards and templates, or a
// private note. Outside the 24-hour window only a template can go out, and the composer says why.
import { Contact, FileText, Loader2, MapPin, Paperclip, Plus, Send, StickyNote, X } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import type { MediaKind } from '@/core/whatsapp/media-limits'
import { MEDIA_RULES } from '@/core/whatsapp/media-limits'
import { ContactCardForm } from './contact-card-form'
import { EmojiButton } from './emoji-button'
import type { ConversationDetail } from './inbox-api'
import { useInboxStore } from './inbox-store'
import { InteractiveBuilder } from './interactive-builder'
import { LocationForm } from './location-form'
import { previewOf } from './read-message'
import { TemplatePicker } from './template-picker'
import { attachmentProblem, kindForFile, uploadAttachment } from './upload-attachment'
import { useAddNote, useSendMessage } from './use-inbox-queries'
import { useServiceWindow } from './use-service-window'

type Tool = 'interactive' | 'location' | 'contact' | 'template' | null

const ACCEPT = Object.values(MEDIA_RULES)
  .flatMap((r) => (r.mimeTypes === 'any' ? ['*/*'] : r.mimeTypes))
  .join(',')
const CAPTIONED: MediaKind[] = ['image', 'video', 'document']

export function Composer({ conversation }: { conversation: ConversationDetail }) {
  const { noteMode, setNoteMode, replyTo, setReplyTo, focusComposer } = useInboxStore()
  const send = useSendMessage(conversation.id)
  const addNote = useAddNote(conversation.id)
  const window24h = useServiceWindow(conversation.serviceWindowExpiresAt)
  const [text, setText] = useState('')
  const [tool, setTool] = useState<Tool>(null)
  const [menuOpen, setMenuOpen] = useState(false)
  const [attachment, setAttachment] = useState<{ file: File; kind: MediaKind } | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const closed = !window24h.open && !noteMode
  const busy = send.isPending || addNote.isPending || progress !== null

  useEffect(() => {
    if (focusComposer) textarea.current?.focus()
  }, [focusComposer])
  useEffect(() => {
    const el = textarea.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`
  }, [text])

  const withContext = (body: Record<string, unknown>) => (replyTo?.wamid && !noteMode ? { ...body, context: { message_id: replyTo.wamid } } : body)

  const deliver = async (body: Record<string, unknown>) => {
    setError(null)
    try {
      await send.mutateAsync(withContext(body))
      setReplyTo(null)
      setTool(null)
      return true
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      return false
    }
  }

  const submit = async () => {
    if (busy) return
    const trimmed = text.trim()
    if (noteMode) {
      if (!trimmed) return
      setError(null)
      try {
        await addNote.mutateAsync(trimmed)
        setText('')
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e))
      }
      return
    }
    if (attachment) {
      const problem = attachmentProblem(attachment.kind, attachment.file)
      if (problem) return setError(problem)
      setProgress(0)
      try {
        const id = await uploadAttachment(conversation.numberId, attachment.kind, attachment.file, setProgress)
        const media: Record<string, unknown> = { id }
        if (trimmed && CAPTIONED.includes(attachment.kind)) media.caption = trimmed
        if (attachment.kind === 'document') media.filename = attachment.file.name
        setProgress(null)
        if (await deliver({ type: attachment.kind, [attachment.kind]: media })) {
          setAttachment(null)
          setText('')
        }
      } catch (e) {
        setProgress(null)
        setError(e instanceof Error ? e.message : String(e))
      }
      return
    }
    if (!trimmed) return
    if (await deliver({ type: 'text', text: { body: trimmed } })) setText('')
  }

  const pickFile = (file: File | undefined) => {
    if (!file) return
    const kind = kindForFile(file)
    setAttachment({ file, kind })
    setError(attachmentProblem(kind, file))
  }

  const dialogs = (
    <>
      {tool === 'interactive' && <InteractiveBuilder waId={conversation.contactWaId} onSend={(b) => void deliver(b)} onClose={() => setTool(null)} />}
      {tool === 'location' && <LocationForm waId={conversation.contactWaId} onSend={(b) => void deliver(b)} onClose={() => setTool(null)} />}
      {tool === 'contact' && <ContactCardForm waId={conversation.contactWaId} onSend={(b) => void deliver(b)} onClose={() => setTool(null)} />}
      {tool === 'template' && (
        <TemplatePicker numberId={conversation.numberId} waId={conversation.contactWaId} onSend={(b) => void deliver(b)} onClose={() => setTool(null)} />
      )}
    </>
  )

  const errorLine = error && (
    <p role="alert" className="mx-3 mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {error}
    </p>
  )

  const noteToggle = (
    <button
      type="button"
      aria-pressed={noteMode}
      onClick={() => setNoteMode(!noteMode)}
      className={`flex items-center gap-1 rounded-full px-2 py-1 text-xs font-medium ${noteMode ? 'bg-amber-200 text-amber-900' : 'text-slate-600 hover:bg-slate-100'}`}
    >
      <StickyNote aria-hidden className="h-4 w-4" /> Private note
    </button>
  )

  if (closed)
    return (
      <div className="border-t border-slate-200 bg-white p-3">
        {errorLine}
        <p className="mb-2 text-sm text-slate-600">
          <strong className="font-semibold text-slate-800">The 24-hour window is closed.</strong> The customer has not written in the last 24 hours, so WhatsApp only
          delivers approved templates until they reply.
        </p>
        <div className="flex items-center gap-2">
          <button type="button" onClick={() => setTool('template')} className="flex items-center gap-1 rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
            <FileText aria-hidden className="h-4 w-4" /> Choose a template
          </button>
          {noteToggle}
        </div>
        {dialogs}
      </div>
    )

  return (
    <div className={`border-t ${noteMode ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}>
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 pt-2 text-xs text-slate-500">
        {noteToggle}
        {!noteMode && <span aria-live="off">{window24h.label}</span>}
        {noteMode && <span className="text-amber-800">Only your team sees notes.</span>}
      </div>
      {replyTo && !noteMode && (
        <div className="mx-3 mt-2 flex items-start gap-2 rounded-md border-l-4 border-brand-500 bg-slate-100 px-2 py-1 text-xs">
          <div className="min-w-0 flex-1">
            <p className="font-semibold text-brand-700">Replying to {replyTo.direction === 'outbound' ? 'yourself' : 'the customer'}</p>
            <p className="truncate text-slate-600">{previewOf(replyTo)}</p>
          </div>
          <button type="button" aria-label="Cancel reply" onClick={() => setReplyTo(null)} className="rounded p-1 hover:bg-slate-200">
            <X aria-hidden className="h-3 w-3" />
          </button>
        </div>
      )}
      {attachment && !noteMode && (
        <div className="mx-3 mt-2 flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-2 py-1 text-sm">
          <Paperclip aria-hidden className="h-4 w-4 text-slate-500" />
          <span className="min-w-0 flex-1 truncate">{attachment.file.name}</span>
          <label className="flex items-center gap-1 text-xs">
            Send as
            <select
              aria-label="Send as"
              value={attachment.kind}
              onChange={(e) => {
                const kind = e.target.value as MediaKind
                setAttachment({ ...attachment, kind })
                setError(attachmentProblem(kind, attachment.file))
              }}
              className="rounded border border-slate-300 bg-white px-1 py-0.5"
            >
              {(Object.keys(MEDIA_RULES) as MediaKind[]).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {progress !== null && (
            <progress aria-label="Upload progress" value={progress} max={1} className="h-2 w-24" />
          )}
          <button type="button" aria-label="Remove attachment" onClick={() => (setAttachment(null), setError(null))} className="rounded p-1 hover:bg-slate-200">
            <X aria-hidden className="h-3 w-3" />
          </button>
        </div>
      )}
      {errorLine && <div className="pt-2">{errorLine}</div>}
      <form
        className="flex items-end gap-1 p-2"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        {!noteMode && (
          <>
            <div className="relative">
              <button
                type="button"
                aria-label="More message types"
                aria-expanded={menuOpen}
                onClick={() => setMenuOpen((o) => !o)}
                className="rounded-full p-2 text-slate-500 hover:bg-slate-100"
              >
                <Plus aria-hidden className="h-5 w-5" />
              </button>
              {menuOpen && (
                <ul
                  role="menu"
                  aria-label="Message types"
                  className="absolute bottom-full left-0 z-30 mb-2 w-52 rounded-lg border border-slate-200 bg-white py-1 shadow-xl"
                  onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setMenuOpen(false))}
                >
                  {(
                    [
                      ['interactive', 'Buttons or list', Plus],
                      ['location', 'Location', MapPin],
                      ['contact', 'Contact card', Contact],
                      ['template', 'Template', FileText],
                    ] as const
                  ).map(([value, label, Icon]) => (
                    <li key={value} role="none">
                      <button
                        type="button"
                        role="menuitem"
                        onClick={() => {
                          setMenuOpen(false)
                          setTool(value)
                        }}
                        className="flex w-full items-center gap-2 px-3 py-2 text-left text-sm hover:bg-slate-100"
                      >
                        <Icon aria-hidden className="h-4 w-4 text-slate-500" /> {label}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <button type="button" aria-label="Attach a file" onClick={() => fileInput.current?.click()} className="rounded-full p-2 text-slate-500 hover:bg-slate-100">
              <Paperclip aria-hidden className="h-5 w-5" />
            </button>
            <input
              ref={fileInput}
              type="file"
              accept={ACCEPT}
              aria-label="Attachment file"
              className="hidden"
              onChange={(e) => {
                pickFile(e.target.files?.[0])
                e.target.value = ''
              }}
            />
          </>
        )}
        <EmojiButton
          onPick={(emoji) => {
            const el = textarea.current
            const at = el?.selectionStart ?? text.length
            setText(text.slice(0, at) + emoji + text.slice(el?.selectionEnd ?? at))
            el?.focus()
          }}
        />
        <textarea
          ref={textarea}
          rows={1}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault()
              void submit()
            }
          }}
          aria-label={noteMode ? 'Private note' : attachment ? 'Caption' : 'Message'}
          placeholder={noteMode ? 'Write a private note for your team…' : attachment ? 'Add a caption (optional)' : 'Type a message'}
          className={`max-h-[200px] min-h-[40px] flex-1 resize-none rounded-2xl border px-3 py-2 text-sm focus:outline-none focus:ring-1 ${noteMode ? 'border-amber-300 bg-white focus:ring-amber-500' : 'border-slate-300 focus:border-brand-600 focus:ring-brand-600'}`}
        />
        <button
          type="submit"
          disabled={busy || (!text.trim() && !attachment)}
          aria-label={noteMode ? 'Add note' : 'Send'}
          className={`rounded-full p-2.5 text-white disabled:opacity-40 ${noteMode ? 'bg-amber-500 hover:bg-amber-600' : 'bg-brand-600 hover:bg-brand-700'}`}
        >
          {busy ? <Loader2 aria-hidden className="h-5 w-5 animate-spin" /> : <Send aria-hidden className="h-5 w-5" />}
        </button>
      </form>
      {dialogs}
    </div>
  )
}
