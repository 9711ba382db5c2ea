// Each template input's value for one contact, from the campaign's mapping: a contact field, a custom
// field or a constant, with the fallback when the contact has no value.
import { buildTemplateMessage, templateInputs, type TemplateComponent } from '@/core/whatsapp/template-inputs'
import type { ContactField, VariableMapping, VariableSource } from './campaign-schemas'

export interface CampaignContact {
  id: string
  waId: string | null
  name: string | null
  profileName: string | null
  email: string | null
  customFields: Record<string, unknown>
}

export interface CampaignTemplate {
  name: string
  language: string
  category: string
  components: TemplateComponent[]
}

function contactField(contact: CampaignContact, field: ContactField): string | null {
  const display = contact.name?.trim() || contact.profileName?.trim() || null
  switch (field) {
    case 'name':
      return display
    case 'first_name':
      return display?.split(/\s+/)[0] ?? null
    case 'wa_id':
      return contact.waId ? `+${contact.waId}` : null
    case 'email':
      return contact.email
    case 'profile_name':
      return contact.profileName
  }
}

export function sourceValue(source: VariableSource, contact: CampaignContact): string | null {
  if (source.kind === 'constant') return source.value
  const raw = source.kind === 'contact' ? contactField(contact, source.field) : contact.customFields[source.key]
  const value = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw).trim() : ''
  return value || source.fallback?.trim() || null
}

/** The template inputs the mapping leaves without a source. */
export function unmappedInputs(template: CampaignTemplate, mapping: VariableMapping): string[] {
  return templateInputs(template.components)
    .map((i) => i.key)
    .filter((key) => !mapping[key])
}

export interface RenderedMessage {
  values: Record<string, string>
  /** Inputs with no value for this contact (and no fallback). */
  missing: string[]
  message: ReturnType<typeof buildTemplateMessage>
}

export function renderForContact(template: CampaignTemplate, mapping: VariableMapping, contact: CampaignContact): RenderedMessage {
  const values: Record<string, string> = {}
  const missing: string[] = []
  for (const { key } of templateInputs(template.components)) {
    const source = mapping[key]
    const value = source ? sourceValue(source, contact) : null
    if (value === null) missing.push(key)
    else values[key] = value
  }
  return { values, missing, message: buildTemplateMessage(template, values) }
}
