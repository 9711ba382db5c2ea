// Renders message text the way WhatsApp does — *bold*, _italic_, ~strike~, ```monospace``` and clickable
// links — as React elements built from the text, so customer text can never inject markup. `inline` is
// for one-line previews inside a link (a conversation row): styles only, no links, the row's wrapping.
import { Fragment, type ReactNode } from 'react'

const MONO = /```([\s\S]+?)```/g
// A marker pair around non-space text, not glued to a word on the outside (so snake_case stays as typed).
const STYLE = /(^|[\s([{"'.,!?:;-])([*_~])(?=\S)([^\n]*?\S)\2(?=$|[\s)\]}"'.,!?:;-])/
const LINK = /\b(https?:\/\/[^\s<]+[^\s<.,:;"')\]!?]|www\.[^\s<]+[^\s<.,:;"')\]!?])/gi

const TAG = { '*': 'strong', _: 'em', '~': 's' } as const

function linkify(text: string, key: string, links: boolean): ReactNode[] {
  if (!links) return [text]
  const out: ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(LINK)) {
    const index = match.index ?? 0
    if (index > last) out.push(text.slice(last, index))
    const url = match[0]
    out.push(
      <a key={`${key}-l${index}`} href={url.startsWith('www.') ? `https://${url}` : url} target="_blank" rel="noopener noreferrer nofollow" className="break-all text-sky-700 underline">
        {url}
      </a>,
    )
    last = index + url.length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}

function styled(text: string, key: string, links: boolean, depth = 0): ReactNode[] {
  const match = depth < 4 ? STYLE.exec(text) : null
  if (!match) return linkify(text, key, links)
  const start = match.index + match[1]!.length
  const Tag = TAG[match[2] as keyof typeof TAG]
  return [
    ...linkify(text.slice(0, start), `${key}a`, links),
    <Tag key={`${key}-s${start}`}>{styled(match[3]!, `${key}-${start}`, links, depth + 1)}</Tag>,
    ...styled(text.slice(match.index + match[0].length), `${key}b`, links, depth),
  ]
}

export function WhatsAppText({ text, inline = false }: { text: string; inline?: boolean }) {
  const links = !inline
  const parts: ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(MONO)) {
    const index = match.index ?? 0
    if (index > last) parts.push(<Fragment key={`t${last}`}>{styled(text.slice(last, index), `t${last}`, links)}</Fragment>)
    parts.push(
      <code key={`m${index}`} className="rounded bg-black/5 px-1 font-mono text-[0.85em]">
        {match[1]}
      </code>,
    )
    last = index + match[0].length
  }
  if (last < text.length) parts.push(<Fragment key={`t${last}`}>{styled(text.slice(last), `t${last}`, links)}</Fragment>)
  return <span className={inline ? undefined : 'whitespace-pre-wrap break-words'}>{parts}</span>
}
