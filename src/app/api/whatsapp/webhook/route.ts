// Meta → Conversa. POST: verify the signature over the raw bytes, store the payload durably, answer 200,
// then process it after the response (the worker sweeps up anything a crash left unprocessed).
import { after, NextResponse } from 'next/server'
import { verifySubscription } from '@/core/whatsapp/verify-subscription'
import { config } from '@/server/config'
import { publicRoute } from '@/server/http/route'
import { receiveWebhook } from '@/server/whatsapp/receive-webhook'
import { processWebhookEvent } from '@/server/whatsapp/process-webhook-event'
import { log } from '@/server/log'

export const GET = publicRoute({}, async ({ req }) =>
  new NextResponse(verifySubscription(req.nextUrl.searchParams, config().META_VERIFY_TOKEN), { headers: { 'content-type': 'text/plain' } }),
)

export const POST = publicRoute({}, async ({ req, requestId }) => {
  const eventId = await receiveWebhook(req, requestId)
  after(() => processWebhookEvent(eventId).catch((err) => log.error({ err, eventId }, 'webhook processing failed')))
  return NextResponse.json({ received: true })
})
