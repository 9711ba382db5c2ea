// Renders a WhatsApp template the way the customer's phone shows it: header (text or a media
// placeholder), body, footer and buttons, with variables highlighted.
//
// Props: `components` is the template's `components` array as Meta (and GET /api/templates) returns it;
// `values` optionally fills variables, keyed by component and parameter: "header.1", "body.1",
// "body.2", or for named parameters "body.first_name". A variable without a value shows as {{1}}.
import { FileText, Image as ImageIcon, MapPin, Phone, Reply, SquareArrowOutUpRight, Video } from 'lucide-react'
import type { ReactNode } from 'react'

export interface TemplatePreviewProps {
  components: unknown[]
  values?: Record<string, string>
}

interface Part {
  type: string
  format?: string
  text?: string
  buttons?: { type?: string; text?: string; url?: string; phone_number?: string }[]
}

const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g

function readParts(components: unknown[]): Part[] {
  return components.flatMap((c) => {
    if (!c || typeof c !== 'object') return []
    const part = c as Record<string, unknown>
    return [
      {
        type: String(part.type ?? '').toUpperCase(),
        format: typeof part.format === 'string' ? part.format.toUpperCase() : undefined,
        text: typeof part.text === 'string' ? part.text : undefined,
        buttons: Array.isArray(part.buttons) ? (part.buttons as Part['buttons']) : undefined,
      },
    ]
  })
}

function withVariables(text: string, scope: string, values: Record<string, string>): ReactNode[] {
  const out: ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(VARIABLE)) {
    out.push(text.slice(last, match.index))
    const value = values[`${scope}.${match[1]}`]
    out.push(
      <mark key={match.index} className={`rounded px-0.5 ${value ? 'bg-brand-100 text-brand-700' : 'bg-amber-100 font-mono text-amber-800'}`}>
        {value || match[0]}
      </mark>,
    )
    last = match.index + match[0].length
  }
  out.push(text.slice(last))
  return out
}

const MEDIA: Record<string, { icon: typeof ImageIcon; label: string }> = {
  IMAGE: { icon: ImageIcon, label: 'Image' },
  VIDEO: { icon: Video, label: 'Video' },
  DOCUMENT: { icon: FileText, label: 'Document' },
  LOCATION: { icon: MapPin, label: 'Location' },
}

const BUTTON_ICON: Record<string, typeof Reply> = { URL: SquareArrowOutUpRight, PHONE_NUMBER: Phone }

export function TemplatePreview({ components, values = {} }: TemplatePreviewProps) {
  const parts = readParts(components)
  const header = parts.find((p) => p.type === 'HEADER')
  const body = parts.find((p) => p.type === 'BODY')
  const footer = parts.find((p) => p.type === 'FOOTER')
  const buttons = parts.find((p) => p.type === 'BUTTONS')?.buttons ?? []
  const media = header?.format && header.format !== 'TEXT' ? MEDIA[header.format] : undefined

  return (
    <figure aria-label="Message preview" className="rounded-xl bg-[#efeae2] p-3">
      <div className="max-w-xs rounded-lg rounded-tl-none bg-white p-1 text-sm text-slate-900 shadow-sm">
        {media && (
          <div className="flex h-32 flex-col items-center justify-center gap-1 rounded-md bg-slate-200 text-slate-500">
            <media.icon aria-hidden className="h-8 w-8" />
            <span className="text-xs">{media.label}</span>
          </div>
        )}
        <div className="space-y-1 px-2 py-1">
          {header?.format === 'TEXT' && header.text && <p className="font-semibold">{withVariables(header.text, 'header', values)}</p>}
          {body?.text && <p className="whitespace-pre-wrap break-words">{withVariables(body.text, 'body', values)}</p>}
          {footer?.text && <p className="text-xs text-slate-500">{footer.text}</p>}
        </div>
        {buttons.length > 0 && (
          <ul className="mt-1 divide-y divide-slate-100 border-t border-slate-100">
            {buttons.map((button, i) => {
              const Icon = BUTTON_ICON[String(button.type)] ?? Reply
              return (
                <li key={i} className="flex items-center justify-center gap-1.5 py-2 text-sm font-medium text-sky-600">
                  <Icon aria-hidden className="h-4 w-4" />
                  {button.text ?? (button.type === 'COPY_CODE' ? 'Copy code' : button.type)}
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </figure>
  )
}
