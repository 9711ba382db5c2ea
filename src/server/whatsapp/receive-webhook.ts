// The synchronous half of the webhook: authenticate Meta, then append the payload to the raw log.
// Nothing else happens before the 200, so Meta never times out and nothing accepted is lost.
import { AppError, unauthenticated } from '@/core/errors/app-error'
import { verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'
import { config } from '@/server/config'
import { db } from '@/server/db/db'
import { parseJson, readRawBody } from '@/server/http/read-body'
import { log } from '@/server/log'

export async function receiveWebhook(req: Request, requestId: string): Promise<string> {
  const c = config()
  const raw = await readRawBody(req, c.WEBHOOK_MAX_BODY_BYTES)
  const signature = req.headers.get('x-hub-signature-256')
  if (!verifyWebhookSignature(raw, signature, c.META_APP_SECRET)) {
    log.warn({ requestId, bytes: raw.length, hasSignature: signature !== null }, 'webhook signature rejected')
    throw unauthenticated('Invalid or missing X-Hub-Signature-256')
  }
  // Too deep for anything Meta sends: a 400, never a 500 that Meta would retry for days.
  const payload = parseJson(raw, 'bad_request')
  if (payload === null || typeof payload !== 'object') throw new AppError('bad_request', 'The body must be a JSON object')
  // The bytes Meta signed are stored as they came (Postgres parses them once more into jsonb).
  // This row is also the work item the worker claims: acceptance is this one write.
  const [row] = await db().sql<{ id: string }[]>`
    insert into public.webhook_events (payload, signature) values (${raw.toString('utf8')}::text::jsonb, ${signature}) returning id`
  return row!.id
}
