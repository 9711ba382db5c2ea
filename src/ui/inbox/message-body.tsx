'use client'
// The inside of one chat bubble, for every message type WhatsApp has: text, media, location, contact
// cards, interactive messages and the customer's replies to them, templates, orders and system notices.
import { Contact, Download, FileText, List, MapPin, ShoppingCart, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import { formatBytes } from '@/core/whatsapp/media-limits'
import type { ChatMessage } from './inbox-api'
import type { MessageView } from './read-message'
import { Modal } from './modal'
import { fillSentTemplate } from '@/core/whatsapp/fill-template'
import { useApprovedTemplates } from './use-inbox-queries'
import { WhatsAppText } from './whatsapp-text'

function Caption({ text }: { text: string | null }) {
  return text ? (
    <p className="mt-1">
      <WhatsAppText text={text} />
    </p>
  ) : null
}

function DocumentCard({ message, filename, caption }: { message: ChatMessage; filename: string | null; caption: string | null }) {
  const ready = message.mediaId !== null && message.mediaStatus === 'stored'
  const name = filename ?? 'Document'
  return (
    <div>
      <div className="flex items-center gap-3 rounded-lg bg-black/5 p-2">
        <FileText aria-hidden className="h-8 w-8 shrink-0 text-slate-500" />
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium">{name}</p>
          <p className="text-xs text-slate-500">{ready ? (message.mediaBytes ? formatBytes(message.mediaBytes) : 'Document') : 'Downloading…'}</p>
        </div>
        {ready && (
          <a href={`/api/media/${message.mediaId}`} download={name} className="rounded-full p-2 hover:bg-black/10" aria-label={`Download ${name}`}>
            <Download aria-hidden className="h-4 w-4" />
          </a>
        )}
      </div>
      <Caption text={caption === filename ? null : caption} />
    </div>
  )
}

function Media({ message, view }: { message: ChatMessage; view: Extract<MessageView, { kind: 'media' }> }) {
  const ready = message.mediaId !== null && message.mediaStatus === 'stored'
  const src = `/api/media/${message.mediaId}`
  if (view.mediaType === 'document') return <DocumentCard message={message} filename={view.filename} caption={view.caption} />
  if (!ready)
    return (
      <div>
        <div className="flex h-32 w-56 max-w-full items-center justify-center rounded-lg bg-black/5 text-xs text-slate-500">
          {message.mediaStatus === 'failed' ? `The ${view.mediaType} could not be downloaded` : `Loading ${view.mediaType}…`}
        </div>
        <Caption text={view.caption} />
      </div>
    )
  switch (view.mediaType) {
    case 'image':
      return <ImageWithViewer src={src} caption={view.caption} />
    case 'sticker':
      // eslint-disable-next-line @next/next/no-img-element -- member-only bytes from our API
      return <img src={src} alt="Sticker" className="h-32 w-32 object-contain" loading="lazy" />
    case 'video':
      return (
        <div>
          <video src={src} controls preload="metadata" className="max-h-72 max-w-full rounded-lg" aria-label={view.caption ?? 'Video'} />
          <Caption text={view.caption} />
        </div>
      )
    case 'audio':
      return (
        <div>
          {view.voice && <p className="mb-1 text-xs text-slate-500">Voice message</p>}
          <audio src={src} controls preload="metadata" className="max-w-full" aria-label={view.voice ? 'Voice message' : 'Audio'} />
        </div>
      )
  }
}

function ImageWithViewer({ src, caption }: { src: string; caption: string | null }) {
  const [open, setOpen] = useState(false)
  return (
    <div>
      <button type="button" onClick={() => setOpen(true)} aria-label="Open the image full size" className="block">
        {/* eslint-disable-next-line @next/next/no-img-element -- member-only bytes from our API, not a static asset */}
        <img src={src} alt={caption ?? 'Image'} className="max-h-72 max-w-full rounded-lg object-contain" loading="lazy" />
      </button>
      <Caption text={caption} />
      {open && (
        <Modal title={caption ?? 'Image'} onClose={() => setOpen(false)} wide>
          {/* eslint-disable-next-line @next/next/no-img-element -- member-only bytes from our API */}
          <img src={src} alt={caption ?? 'Image'} className="mx-auto max-h-[65vh] max-w-full object-contain" />
          <a href={src} download className="mt-3 flex items-center justify-center gap-1 text-sm font-medium text-brand-700 hover:underline">
            <Download aria-hidden className="h-4 w-4" /> Download
          </a>
        </Modal>
      )}
    </div>
  )
}

function Template({ view }: { view: Extract<MessageView, { kind: 'template' }> }) {
  const templates = useApprovedTemplates()
  const definition = templates.data?.find((t) => t.name === view.name && t.language === view.language)
  const filled = definition ? fillSentTemplate(definition.components, view.components as never) : null
  return (
    <div>
      <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Template · {view.name}</p>
      {filled ? (
        <>
          {filled.header && <p className="font-semibold">{filled.header}</p>}
          {filled.headerFormat && filled.headerFormat !== 'TEXT' && <p className="text-xs text-slate-500">[{filled.headerFormat.toLowerCase()} header]</p>}
          {filled.body && <WhatsAppText text={filled.body} />}
          {filled.footer && <p className="mt-1 text-xs text-slate-500">{filled.footer}</p>}
          <Buttons titles={filled.buttons} />
        </>
      ) : (
        <p className="text-sm italic text-slate-600">
          {view.components
            .flatMap((c) => (Array.isArray(c.parameters) ? (c.parameters as { text?: string }[]).map((p) => p.text).filter(Boolean) : []))
            .join(' · ') || 'Template message'}
        </p>
      )}
    </div>
  )
}

function Buttons({ titles }: { titles: string[] }) {
  if (!titles.length) return null
  return (
    <ul aria-label="Buttons" className="mt-2 flex flex-col gap-1">
      {titles.map((title, i) => (
        <li key={i} className="rounded-md border border-black/10 bg-white/60 px-3 py-1 text-center text-sm font-medium text-sky-700">
          {title}
        </li>
      ))}
    </ul>
  )
}

export function MessageBody({ message, view }: { message: ChatMessage; view: MessageView }) {
  switch (view.kind) {
    case 'text':
      return <WhatsAppText text={view.text} />
    case 'media':
      return <Media message={message} view={view} />
    case 'location': {
      const url = `https://www.openstreetmap.org/?mlat=${view.latitude}&mlon=${view.longitude}#map=16/${view.latitude}/${view.longitude}`
      return (
        <a href={url} target="_blank" rel="noopener noreferrer" className="flex items-start gap-2 rounded-lg bg-black/5 p-2 hover:bg-black/10">
          <MapPin aria-hidden className="mt-0.5 h-5 w-5 shrink-0 text-red-600" />
          <span>
            <span className="block font-medium">{view.name ?? 'Location'}</span>
            {view.address && <span className="block text-sm text-slate-600">{view.address}</span>}
            <span className="block text-xs text-sky-700 underline">
              {view.latitude.toFixed(5)}, {view.longitude.toFixed(5)} · Open map
            </span>
          </span>
        </a>
      )
    }
    case 'contacts':
      return (
        <ul aria-label="Shared contacts" className="flex flex-col gap-2">
          {view.cards.map((card, i) => (
            <li key={i} className="flex items-start gap-2 rounded-lg bg-black/5 p-2">
              <Contact aria-hidden className="mt-0.5 h-5 w-5 shrink-0 text-slate-500" />
              <span className="min-w-0">
                <span className="block font-medium">{card.name}</span>
                {card.company && <span className="block text-xs text-slate-500">{card.company}</span>}
                {card.phones.map((p) => (
                  <a key={p} href={`tel:${p}`} className="block text-sm text-sky-700 underline">
                    {p}
                  </a>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )
    case 'interactive':
      return (
        <div>
          {view.header && <p className="font-semibold">{view.header}</p>}
          {view.body && <WhatsAppText text={view.body} />}
          {view.footer && <p className="mt-1 text-xs text-slate-500">{view.footer}</p>}
          <Buttons titles={view.buttons} />
          {view.link && (
            <a href={view.link.url} target="_blank" rel="noopener noreferrer nofollow" className="mt-2 block rounded-md border border-black/10 px-3 py-1 text-center text-sm font-medium text-sky-700">
              {view.link.text}
            </a>
          )}
          {view.list && (
            <details className="mt-2 rounded-md border border-black/10 bg-white/60 text-sm">
              <summary className="flex cursor-pointer items-center justify-center gap-1 px-3 py-1 font-medium text-sky-700">
                <List aria-hidden className="h-4 w-4" /> {view.list.button}
              </summary>
              {view.list.sections.map((section, si) => (
                <div key={si} className="border-t border-black/5 px-3 py-1">
                  {section.title && <p className="text-xs font-semibold uppercase text-slate-500">{section.title}</p>}
                  <ul>
                    {section.rows.map((row) => (
                      <li key={row.id} className="py-0.5">
                        {row.title}
                        {row.description && <span className="block text-xs text-slate-500">{row.description}</span>}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </details>
          )}
        </div>
      )
    case 'reply':
      return (
        <div>
          <p className="text-xs font-medium text-slate-500">{view.label}</p>
          <p className="font-medium">{view.title}</p>
          {view.description && <p className="text-xs text-slate-500">{view.description}</p>}
        </div>
      )
    case 'form':
      return (
        <div>
          <p className="text-xs font-medium text-slate-500">Form submitted</p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm">
            {view.fields.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="break-words">{v}</dd>
              </div>
            ))}
          </dl>
        </div>
      )
    case 'template':
      return <Template view={view} />
    case 'order':
      return (
        <div>
          <p className="flex items-center gap-1 font-medium">
            <ShoppingCart aria-hidden className="h-4 w-4" /> Order · {view.items.length} item{view.items.length === 1 ? '' : 's'}
          </p>
          <ul className="mt-1 text-sm">
            {view.items.map((item, i) => (
              <li key={i}>
                {item.quantity ?? 1} × {item.id}
                {item.price && <span className="text-slate-500"> · {item.price}</span>}
              </li>
            ))}
          </ul>
          <Caption text={view.text} />
        </div>
      )
    case 'system':
      return <p className="text-sm italic">{view.text}</p>
    case 'reaction':
      return <p className="text-sm">{view.emoji ? `Reacted ${view.emoji}` : 'Removed a reaction'}</p>
    case 'unsupported':
      return (
        <p className="flex items-start gap-2 text-sm text-slate-600">
          <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-amber-600" />
          {view.explanation}
        </p>
      )
  }
}
