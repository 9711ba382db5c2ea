import { NextResponse } from 'next/server'
import { tenantRoute } from '@/server/http/route'
import { connectNumber, connectNumberSchema } from '@/server/whatsapp/connect-number'
import { graphDeps } from '@/server/whatsapp/deps'

// Tokens never leave the server: the list shows Meta's facts about each number only.
export const GET = tenantRoute({}, async ({ tx, tenant }) => ({
  numbers: await tx`
    select n.id, n.phone_number_id as "phoneNumberId", n.display_phone_number as "displayPhoneNumber", n.verified_name as "verifiedName",
           n.throughput_mps as "throughputMps", n.quality_rating as "qualityRating", n.status, a.waba_id as "wabaId",
           a.messaging_limit_tier as "messagingLimitTier"
    from public.whatsapp_numbers n join public.whatsapp_business_accounts a on a.id = n.account_id
    where n.tenant_id = ${tenant.id} order by n.created_at`,
}))

export const POST = tenantRoute({ input: connectNumberSchema, minRole: 'admin', maxBodyBytes: 16_384 }, async ({ tx, tenant, input }) =>
  NextResponse.json({ number: await connectNumber(tx, tenant.id, input, graphDeps()) }, { status: 201 }),
)
