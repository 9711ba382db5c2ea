// Meta → Conversa. POST: verify the signature over the raw bytes and store the payload: that one
// insert is the whole acceptance and the work item the worker claims, so the 200 follows at once.
import { NextResponse } from 'next/server'
import { verifySubscription } from '@/core/whatsapp/verify-subscription'
import { config } from '@/server/config'
import { publicRoute } from '@/server/http/route'
import { receiveWebhook } from '@/server/whatsapp/receive-webhook'

export const GET = publicRoute({}, async ({ req }) =>
  new NextResponse(verifySubscription(req.nextUrl.searchParams, config().META_VERIFY_TOKEN), { headers: { 'content-type': 'text/plain' } }),
)

export const POST = publicRoute({}, async ({ req, requestId }) => {
  await receiveWebhook(req, requestId)
  return NextResponse.json({ received: true })
})
