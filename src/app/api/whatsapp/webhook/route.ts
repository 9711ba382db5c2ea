// Meta → Conversa. POST: verify the signature over the raw bytes, store the payload durably, answer 200,
// then hand it to the worker's `webhooks` queue (its sweep re-enqueues anything a crash left behind).
import { after, NextResponse } from 'next/server'
import { verifySubscription } from '@/core/whatsapp/verify-subscription'
import { config } from '@/server/config'
import { publicRoute } from '@/server/http/route'
import { receiveWebhook } from '@/server/whatsapp/receive-webhook'
import { handOff, webhookJob } from '@/server/sending/hand-off'

export const GET = publicRoute({}, async ({ req }) =>
  new NextResponse(verifySubscription(req.nextUrl.searchParams, config().META_VERIFY_TOKEN), { headers: { 'content-type': 'text/plain' } }),
)

export const POST = publicRoute({}, async ({ req, requestId }) => {
  const eventId = await receiveWebhook(req, requestId)
  after(() => handOff('webhooks', [webhookJob(eventId)]))
  return NextResponse.json({ received: true })
})
