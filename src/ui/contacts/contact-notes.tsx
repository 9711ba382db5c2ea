'use client'
// The team's notes on a contact: add one, delete your own (supervisors and above may delete any).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Trash2 } from 'lucide-react'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { useActiveRole, useSession, useTenantId } from '@/ui/api/use-session'
import { buttonClass } from '@/ui/components/field'
import { contactKeys, type ContactNote } from './contacts-api'
import { useContactNotes } from './use-contacts'
import { dateTimeLabel } from '@/ui/components/date-time'

const MAY_DELETE_ANY = new Set(['owner', 'admin', 'supervisor'])

export function ContactNotes({ contactId }: { contactId: string }) {
  const id = useId()
  const tenantId = useTenantId()
  const { data: session } = useSession()
  const myRole = useActiveRole()
  const notes = useContactNotes(contactId)
  const queryClient = useQueryClient()
  const [body, setBody] = useState('')
  const refresh = () => queryClient.invalidateQueries({ queryKey: contactKeys.notes(tenantId, contactId) })
  const add = useMutation({
    mutationFn: () => api<{ note: ContactNote }>(`/api/contacts/${contactId}/notes`, { body: { body } }),
    onSuccess: () => {
      setBody('')
      void refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (noteId: string) => api(`/api/contacts/${contactId}/notes/${noteId}`, { method: 'DELETE' }),
    onSuccess: () => void refresh(),
    onError: (e) => toast.error(e.message),
  })
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="font-semibold">
        Notes
      </h2>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault()
          add.mutate()
        }}
      >
        <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-700">
          New note
        </label>
        <textarea
          id={`${id}-body`}
          rows={3}
          maxLength={5000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
        />
        {add.error && (
          <p role="alert" className="text-sm text-red-600">
            {add.error.message}
          </p>
        )}
        <button type="submit" className={buttonClass} disabled={!body.trim() || add.isPending}>
          Add note
        </button>
      </form>
      <ul className="divide-y divide-slate-100" aria-label="Notes">
        {notes.data?.map((n) => (
          <li key={n.id} className="flex items-start gap-2 py-2">
            <div className="min-w-0 flex-1">
              <p className="whitespace-pre-wrap break-words text-sm">{n.body}</p>
              <p className="mt-1 text-xs text-slate-500">
                {n.authorName ?? 'Former member'} · <time dateTime={n.createdAt}>{dateTimeLabel(n.createdAt)}</time>
              </p>
            </div>
            {(n.authorId === session?.user.id || (myRole && MAY_DELETE_ANY.has(myRole))) && (
              <button type="button" aria-label="Delete note" className="rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-red-700" disabled={remove.isPending} onClick={() => remove.mutate(n.id)}>
                <Trash2 aria-hidden className="h-4 w-4" />
              </button>
            )}
          </li>
        ))}
        {notes.data?.length === 0 && <li className="py-2 text-sm text-slate-500">No notes yet.</li>}
      </ul>
    </section>
  )
}
