import { NextResponse } from 'next/server'
import { inviteSchema } from '@/core/auth/schemas'
import { inviteMember } from '@/core/tenancy/invite-member'
import { tenantRoute } from '@/server/http/route'

// Locally the link is returned to show in the UI; a mail sender is the production delivery.
export const POST = tenantRoute({ input: inviteSchema, minRole: 'admin', maxBodyBytes: 16_384, peopleOnly: true }, async ({ tx, tenant, claims, input, req }) => {
  const { invitation, token } = await inviteMember(tx, { userId: claims.sub, tenantId: tenant.id, role: tenant.role }, input)
  const inviteUrl = new URL(`/invite/${token}`, req.nextUrl.origin).toString()
  return NextResponse.json({ invitation, inviteUrl }, { status: 201 })
})
