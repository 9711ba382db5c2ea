'use client'
// Shares a place: latitude and longitude, with an optional name and address.
import { useState } from 'react'
import { FormActions, FormProblems, inputClass, Modal } from './modal'
import { outboundProblems } from './validate-outbound'

export function LocationForm({ waId, onSend, onClose }: { waId: string; onSend(body: Record<string, unknown>): void; onClose(): void }) {
  const [f, setF] = useState({ latitude: '', longitude: '', name: '', address: '' })
  const [problems, setProblems] = useState<string[]>([])
  const field = (key: keyof typeof f, label: string, inputMode?: 'decimal') => (
    <label className="text-sm">
      {label}
      <input className={inputClass} inputMode={inputMode} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })} />
    </label>
  )
  return (
    <Modal title="Share a location" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault()
          const body = {
            type: 'location',
            location: {
              latitude: f.latitude.trim() === '' ? undefined : Number(f.latitude),
              longitude: f.longitude.trim() === '' ? undefined : Number(f.longitude),
              ...(f.name.trim() ? { name: f.name.trim() } : {}),
              ...(f.address.trim() ? { address: f.address.trim() } : {}),
            },
          }
          const found = outboundProblems(body, waId)
          setProblems(found)
          if (found.length === 0) onSend(body)
        }}
      >
        <div className="grid grid-cols-2 gap-3">
          {field('latitude', 'Latitude', 'decimal')}
          {field('longitude', 'Longitude', 'decimal')}
        </div>
        {field('name', 'Name (optional)')}
        {field('address', 'Address (optional)')}
        <FormProblems problems={problems} />
        <FormActions onCancel={onClose} submitLabel="Send location" />
      </form>
    </Modal>
  )
}
