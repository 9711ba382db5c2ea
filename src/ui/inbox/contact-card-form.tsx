'use client'
// Shares a contact card: a name and a phone number, in Meta's contacts shape.
import { useState } from 'react'
import { FormActions, FormProblems, inputClass, Modal } from './modal'
import { outboundProblems } from './validate-outbound'

export function ContactCardForm({ waId, onSend, onClose }: { waId: string; onSend(body: Record<string, unknown>): void; onClose(): void }) {
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [problems, setProblems] = useState<string[]>([])
  return (
    <Modal title="Share a contact" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault()
          const [first, ...rest] = name.trim().split(/\s+/)
          const body = {
            type: 'contacts',
            contacts: [
              {
                name: { formatted_name: name.trim(), first_name: first || undefined, ...(rest.length ? { last_name: rest.join(' ') } : {}) },
                phones: [{ phone: phone.trim(), type: 'CELL' }],
              },
            ],
          }
          const found = [...(phone.trim() ? [] : ['phone: is required']), ...outboundProblems(body, waId)]
          setProblems(found)
          if (found.length === 0) onSend(body)
        }}
      >
        <label className="text-sm">
          Name
          <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="text-sm">
          Phone
          <input className={inputClass} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+44 20 7946 0000" />
        </label>
        <FormProblems problems={problems} />
        <FormActions onCancel={onClose} submitLabel="Send contact" />
      </form>
    </Modal>
  )
}
