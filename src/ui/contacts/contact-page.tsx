'use client'
// One contact: editable fields, tags and custom fields, block and opt-out with confirmation, notes,
// and every message exchanged with them.
import { ArrowLeft, X } from 'lucide-react'
import Link from 'next/link'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { Modal } from '@/ui/inbox/modal'
import { ContactHistory } from './contact-history'
import { ContactNotes } from './contact-notes'
import { Badge } from './contact-list'
import { phoneLabel, type ContactDetail } from './contacts-api'
import { useContact, useUpdateContact } from './use-contacts'
import { dateTimeLabel } from '@/ui/components/date-time'

const inputClass = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600'
const card = 'space-y-3 rounded-xl border border-slate-200 bg-white p-4'

export function ContactPage({ id }: { id: string }) {
  const contact = useContact(id)
  if (contact.isPending) return <p className="text-sm text-slate-500">Loading contact…</p>
  if (contact.isError)
    return (
      <p role="alert" className="text-sm text-red-600">
        {contact.error.message}
      </p>
    )
  const c = contact.data
  return (
    <article aria-labelledby="contact-title" className="mx-auto max-w-6xl space-y-4">
      <Link href="/contacts" className="inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="h-4 w-4" /> All contacts
      </Link>
      <header className="flex flex-wrap items-center gap-3">
        <h1 id="contact-title" className="text-2xl font-semibold">
          {c.name ?? c.profileName ?? phoneLabel(c.waId)}
        </h1>
        <span className="font-mono text-sm text-slate-600">{phoneLabel(c.waId)}</span>
        {c.blocked && <Badge tone="red">Blocked</Badge>}
        {c.optedOutAt && <Badge tone="amber">Opted out</Badge>}
      </header>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="space-y-4">
          {/* Keyed by the saved version so the forms start from fresh values after each save. */}
          <DetailsForm key={`d-${c.updatedAt}`} contact={c} />
          <TagsEditor contact={c} />
          <CustomFieldsEditor key={`f-${c.updatedAt}`} contact={c} />
          <ConsentControls contact={c} />
        </div>
        <div className="space-y-4">
          <ContactNotes contactId={c.id} />
          <ContactHistory contactId={c.id} />
        </div>
      </div>
    </article>
  )
}

function DetailsForm({ contact }: { contact: ContactDetail }) {
  const update = useUpdateContact(contact.id)
  const [name, setName] = useState(contact.name ?? '')
  const [email, setEmail] = useState(contact.email ?? '')
  const errors = fieldErrors(update.error)
  return (
    <form
      aria-label="Contact details"
      className={card}
      onSubmit={(e) => {
        e.preventDefault()
        update.mutate({ name: name.trim() || null, email: email.trim() }, { onSuccess: () => toast.success('Saved') })
      }}
    >
      <h2 className="font-semibold">Details</h2>
      {contact.profileName && <p className="text-sm text-slate-600">WhatsApp profile name: {contact.profileName}</p>}
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
      <button type="submit" className={buttonClass} disabled={update.isPending}>
        Save details
      </button>
    </form>
  )
}

function TagsEditor({ contact }: { contact: ContactDetail }) {
  const id = useId()
  const update = useUpdateContact(contact.id)
  const [tag, setTag] = useState('')
  const save = (tags: string[]) => update.mutate({ tags }, { onError: (e) => toast.error(e.message) })
  return (
    <section aria-labelledby={`${id}-title`} className={card}>
      <h2 id={`${id}-title`} className="font-semibold">
        Tags
      </h2>
      <ul className="flex flex-wrap gap-2" aria-label="Tags">
        {contact.tags.map((t) => (
          <li key={t} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2 pr-1 text-sm">
            {t}
            <button type="button" aria-label={`Remove tag ${t}`} className="rounded-full p-0.5 hover:bg-slate-200" onClick={() => save(contact.tags.filter((x) => x !== t))}>
              <X aria-hidden className="h-3 w-3" />
            </button>
          </li>
        ))}
        {contact.tags.length === 0 && <li className="text-sm text-slate-500">No tags yet.</li>}
      </ul>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault()
          if (!tag.trim()) return
          save([...contact.tags, tag.trim()])
          setTag('')
        }}
      >
        <div className="flex-1">
          <label htmlFor={`${id}-new`} className="mb-1 block text-xs font-medium text-slate-600">
            New tag
          </label>
          <input id={`${id}-new`} value={tag} onChange={(e) => setTag(e.target.value)} className={inputClass} />
        </div>
        <button type="submit" className={buttonClass} disabled={!tag.trim() || update.isPending}>
          Add tag
        </button>
      </form>
    </section>
  )
}

function CustomFieldsEditor({ contact }: { contact: ContactDetail }) {
  const id = useId()
  const update = useUpdateContact(contact.id)
  const [rows, setRows] = useState(() => Object.entries(contact.customFields).map(([key, value]) => ({ key, value })))
  const errors = fieldErrors(update.error)
  const setRow = (i: number, patch: Partial<{ key: string; value: string }>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <form
      aria-labelledby={`${id}-title`}
      className={card}
      onSubmit={(e) => {
        e.preventDefault()
        const fields = Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]))
        update.mutate({ customFields: fields }, { onSuccess: () => toast.success('Custom fields saved') })
      }}
    >
      <h2 id={`${id}-title`} className="font-semibold">
        Custom fields
      </h2>
      <p className="text-xs text-slate-500">Names use a–z, 0–9 and _ (up to 40 characters); values up to 500 characters.</p>
      {rows.map((row, i) => (
        <div key={i} className="grid grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] items-start gap-2">
          <input aria-label={`Field ${i + 1} name`} value={row.key} onChange={(e) => setRow(i, { key: e.target.value })} className={inputClass} />
          <input aria-label={`Field ${i + 1} value`} value={row.value} onChange={(e) => setRow(i, { value: e.target.value })} className={inputClass} />
          <button type="button" aria-label={`Remove field ${row.key || i + 1}`} className="rounded p-1.5 hover:bg-slate-100" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>
      ))}
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="text-sm text-red-600">
          {Object.values(errors).join(' ')}
        </p>
      )}
      <div className="flex gap-2">
        <button type="button" className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-50" onClick={() => setRows((rs) => [...rs, { key: '', value: '' }])}>
          Add field
        </button>
        <button type="submit" className={buttonClass} disabled={update.isPending}>
          Save fields
        </button>
      </div>
    </form>
  )
}

type Pending = 'block' | 'unblock' | 'opt-out' | 'opt-in' | null

function ConsentControls({ contact }: { contact: ContactDetail }) {
  const id = useId()
  const update = useUpdateContact(contact.id)
  const [pending, setPending] = useState<Pending>(null)
  const [reason, setReason] = useState('')
  const confirm = () => {
    const patch =
      pending === 'block' ? { blocked: true }
      : pending === 'unblock' ? { blocked: false }
      : pending === 'opt-out' ? { optedOut: true, ...(reason.trim() ? { optOutReason: reason.trim() } : {}) }
      : { optedOut: false }
    update.mutate(patch, {
      onSuccess: () => {
        setPending(null)
        setReason('')
      },
      onError: (e) => toast.error(e.message),
    })
  }
  const copy: Record<Exclude<Pending, null>, { title: string; body: string; action: string }> = {
    block: { title: 'Block this contact?', body: 'The contact is marked as blocked for the whole team.', action: 'Block' },
    unblock: { title: 'Unblock this contact?', body: 'The block is lifted for the whole team.', action: 'Unblock' },
    'opt-out': { title: 'Opt this contact out?', body: 'They are recorded as opted out of all business-initiated messages.', action: 'Opt out' },
    'opt-in': { title: 'Opt this contact back in?', body: 'Only do this when they have asked to receive messages again.', action: 'Opt in' },
  }
  return (
    <section aria-labelledby={`${id}-title`} className={card}>
      <h2 id={`${id}-title`} className="font-semibold">
        Consent and blocking
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Messages</dt>
        <dd>
          {contact.optedOutAt ? `Opted out on ${dateTimeLabel(contact.optedOutAt)}${contact.optOutReason ? ` — ${contact.optOutReason}` : ''}` : 'Subscribed'}
        </dd>
        <dt className="text-slate-600">Blocked</dt>
        <dd>{contact.blocked ? 'Yes' : 'No'}</dd>
      </dl>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-50" onClick={() => setPending(contact.optedOutAt ? 'opt-in' : 'opt-out')}>
          {contact.optedOutAt ? 'Opt in' : 'Opt out'}
        </button>
        <button type="button" className="rounded-md border border-red-200 px-3 py-2 text-sm text-red-700 hover:bg-red-50" onClick={() => setPending(contact.blocked ? 'unblock' : 'block')}>
          {contact.blocked ? 'Unblock' : 'Block'}
        </button>
      </div>
      {pending && (
        <Modal title={copy[pending].title} onClose={() => setPending(null)}>
          <div className="space-y-4">
            <p className="text-sm text-slate-700">{copy[pending].body}</p>
            {pending === 'opt-out' && <Field label="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}
            <div className="flex justify-end gap-2">
              <button type="button" className="rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-50" onClick={() => setPending(null)}>
                Cancel
              </button>
              <button type="button" className={buttonClass} disabled={update.isPending} onClick={confirm}>
                {copy[pending].action}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </section>
  )
}
