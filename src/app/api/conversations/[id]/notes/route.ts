import { NextResponse } from 'next/server'
import { addNote, addNoteInput } from '@/core/inbox/add-note'
import { conversationIdParam } from '@/core/inbox/conversation-id-param'
import { tenantRoute } from '@/server/http/route'

export const POST = tenantRoute({ input: addNoteInput, minRole: 'agent' }, async ({ tx, tenant, claims, input, params }) => {
  const note = await addNote(tx, { tenantId: tenant.id, conversationId: conversationIdParam(params.id), userId: claims.sub, body: input.body })
  return NextResponse.json({ note }, { status: 201 })
})
