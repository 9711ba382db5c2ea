import { describe, expect, it } from 'vitest'
import { eventFromSupabaseChange } from '@/core/realtime/supabase-change'

const TENANT = '00000000-0000-4000-8000-000000000000'
const ID = '00000000-0000-4000-8000-00000000000a'
const CONVERSATION = '00000000-0000-4000-8000-00000000000b'

describe("Supabase Realtime's rows as our own events", () => {
  it('names the message, conversation or template that changed, and nothing of its content', () => {
    expect(eventFromSupabaseChange('messages', { id: ID, tenant_id: TENANT, conversation_id: CONVERSATION, content: { body: 'hi' } })).toEqual({
      type: 'messages',
      tenantId: TENANT,
      conversationIds: [CONVERSATION],
    })
    expect(eventFromSupabaseChange('conversations', { id: ID, tenant_id: TENANT })).toEqual({ type: 'conversation', tenantId: TENANT, conversationId: ID })
    expect(eventFromSupabaseChange('templates', { id: ID, tenant_id: TENANT, status: 'APPROVED' })).toEqual({ type: 'template', tenantId: TENANT, templateId: ID })
  })

  it('drops rows of other tables and rows it cannot read', () => {
    expect(eventFromSupabaseChange('contacts', { id: ID, tenant_id: TENANT })).toBeNull()
    expect(eventFromSupabaseChange('templates', { id: 'not-a-uuid', tenant_id: TENANT })).toBeNull()
    expect(eventFromSupabaseChange('messages', null)).toBeNull()
  })
})
