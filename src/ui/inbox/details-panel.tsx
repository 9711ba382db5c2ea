'use client'
// The conversation's side panel: who the customer is (with a link to their contact page), its status,
// assignee, tags and the WhatsApp number it runs on.
import { ExternalLink, Plus, X } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { toast } from 'sonner'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole, useSession } from '@/ui/api/use-session'
import type { ConversationDetail } from './inbox-api'
import { inputClass } from './modal'
import { useMembers, useUpdateConversation } from './use-inbox-queries'
import { displayPhone } from '@/core/util/display-phone'

export function DetailsPanel({ conversation, onClose }: { conversation: ConversationDetail; onClose(): void }) {
  const update = useUpdateConversation(conversation.id)
  const members = useMembers()
  const { data: session } = useSession()
  const [tag, setTag] = useState('')
  const me = session?.user.id
  const role = useActiveRole()
  const save = (patch: Parameters<typeof update.mutate>[0], done?: string) =>
    update.mutate(patch, { onSuccess: () => done && toast.success(done), onError: (e) => toast.error(e.message) })
  const addTag = () => {
    const value = tag.trim()
    if (!value || conversation.tags.includes(value)) return setTag('')
    save({ tags: [...conversation.tags, value] })
    setTag('')
  }
  const assignsOthers = atLeast(role ?? 'agent', 'supervisor')
  const name = conversation.contact.name ?? conversation.contact.profileName ?? displayPhone(conversation.contactWaId)

  return (
    <aside aria-label="Conversation details" className="flex h-full flex-col gap-5 overflow-y-auto bg-white p-4 text-sm">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Details</h2>
        <button type="button" onClick={onClose} aria-label="Close details" className="rounded p-1 hover:bg-slate-100">
          <X aria-hidden className="h-4 w-4" />
        </button>
      </div>
      <section aria-label="Contact" className="flex flex-col gap-1">
        <p className="text-base font-semibold">{name}</p>
        {conversation.contact.profileName && conversation.contact.profileName !== name && <p className="text-slate-500">WhatsApp name: {conversation.contact.profileName}</p>}
        <a href={`tel:+${conversation.contactWaId}`} className="text-sky-700 underline">
          {displayPhone(conversation.contactWaId)}
        </a>
        {conversation.contact.email && <p className="text-slate-600">{conversation.contact.email}</p>}
        {(conversation.contact.optedOut || conversation.contact.blocked) && (
          <p className="text-red-700">{conversation.contact.blocked ? 'Blocked' : 'Opted out of marketing'}</p>
        )}
        <Link href={`/contacts/${conversation.contactId}`} className="mt-1 flex items-center gap-1 font-medium text-brand-700 hover:underline">
          Open contact <ExternalLink aria-hidden className="h-3 w-3" />
        </Link>
      </section>

      <label className="flex flex-col gap-1">
        <span className="font-medium">Status</span>
        <select aria-label="Status" className={inputClass} value={conversation.status} onChange={(e) => save({ status: e.target.value })} disabled={update.isPending}>
          <option value="open">Open</option>
          <option value="pending">Pending</option>
          <option value="resolved">Resolved</option>
        </select>
      </label>

      <div className="flex flex-col gap-1">
        <label htmlFor="assignee" className="font-medium">
          Assignee
        </label>
        <select
          id="assignee"
          className={inputClass}
          value={conversation.assigneeId ?? ''}
          onChange={(e) => save({ assigneeId: e.target.value || null })}
          disabled={update.isPending}
        >
          <option value="">Unassigned</option>
          {conversation.assigneeId && !members.data?.members.some((m) => m.userId === conversation.assigneeId) && (
            <option value={conversation.assigneeId}>{conversation.assigneeName ?? 'Former member'}</option>
          )}
          {members.data?.members.map((m) => (
            // Agents take or drop conversations themselves; handing one to someone else is a supervisor's call.
            <option key={m.userId} value={m.userId} disabled={!assignsOthers && m.userId !== me}>
              {m.fullName ?? m.email}
              {m.userId === me ? ' (you)' : ''}
            </option>
          ))}
        </select>
        {me && conversation.assigneeId !== me && (
          <button type="button" onClick={() => save({ assigneeId: me }, 'Assigned to you')} className="self-start text-sm font-medium text-brand-700 hover:underline">
            Assign to me
          </button>
        )}
      </div>

      <section aria-label="Tags" className="flex flex-col gap-2">
        <h3 className="font-medium">Tags</h3>
        <ul className="flex flex-wrap gap-1">
          {conversation.tags.length === 0 && <li className="text-slate-500">No tags</li>}
          {conversation.tags.map((t) => (
            <li key={t} className="flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2 text-xs">
              {t}
              <button
                type="button"
                aria-label={`Remove tag ${t}`}
                onClick={() => save({ tags: conversation.tags.filter((x) => x !== t) })}
                className="rounded-full p-0.5 hover:bg-slate-200"
              >
                <X aria-hidden className="h-3 w-3" />
              </button>
            </li>
          ))}
        </ul>
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault()
            addTag()
          }}
        >
          <input aria-label="New tag" placeholder="Add a tag" className={inputClass} value={tag} maxLength={50} onChange={(e) => setTag(e.target.value)} />
          <button type="submit" aria-label="Add tag" className="rounded-md border border-slate-300 px-2 hover:bg-slate-50">
            <Plus aria-hidden className="h-4 w-4" />
          </button>
        </form>
      </section>

      <section aria-label="WhatsApp number" className="flex flex-col gap-1">
        <h3 className="font-medium">WhatsApp number</h3>
        <p>{conversation.number.verifiedName ?? 'Business number'}</p>
        <p className="text-slate-500">{conversation.number.displayPhone ?? conversation.numberDisplayPhone}</p>
      </section>
    </aside>
  )
}
