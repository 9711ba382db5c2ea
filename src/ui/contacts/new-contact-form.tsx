'use client'
// Adds one contact; a number the workspace already has links to that contact instead.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { toast } from 'sonner'
import { api, ApiError } from '@/ui/api/api-client'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { contactKeys, type ContactDetail } from './contacts-api'
import { useTenantId } from '@/ui/api/use-session'

export function NewContactForm({ onDone }: { onDone(): void }) {
  const router = useRouter()
  const tenantId = useTenantId()
  const queryClient = useQueryClient()
  const [phone, setPhone] = useState('')
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [tags, setTags] = useState('')
  const create = useMutation({
    mutationFn: () =>
      api<{ contact: ContactDetail }>('/api/contacts', {
        body: {
          phone,
          ...(name.trim() ? { name } : {}),
          ...(email.trim() ? { email } : {}),
          tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
        },
      }),
    onSuccess: ({ contact }) => {
      toast.success('Contact added')
      void queryClient.invalidateQueries({ queryKey: contactKeys.all(tenantId) })
      onDone()
      router.push(`/contacts/${contact.id}`)
    },
  })
  const errors = fieldErrors(create.error)
  const existingId = create.error instanceof ApiError && create.error.status === 409 ? (create.error.details as { contactId?: string })?.contactId : undefined

  return (
    <form
      aria-label="New contact"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault()
        create.mutate()
      }}
    >
      <h2 className="text-lg font-semibold">New contact</h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Phone (with +country code)" required value={phone} onChange={(e) => setPhone(e.target.value)} error={errors.phone} placeholder="+1 415 555 2671" />
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <Field label="Tags (comma-separated)" value={tags} onChange={(e) => setTags(e.target.value)} error={Object.entries(errors).find(([k]) => k.startsWith('tags'))?.[1]} />
      </div>
      {create.error && !errors.phone && !errors.email && (
        <p role="alert" className="text-sm text-red-600">
          {create.error.message}
          {existingId && (
            <>
              {' '}
              <Link href={`/contacts/${existingId}`} className="underline">
                Open the existing contact
              </Link>
            </>
          )}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Add contact
        </button>
        <button type="button" onClick={onDone} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-50">
          Cancel
        </button>
      </div>
    </form>
  )
}
