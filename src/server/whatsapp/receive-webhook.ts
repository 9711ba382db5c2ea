// The synchronous half of the webhook: authenticate Meta, then append the payload to the raw log.
// Nothing else happens before the 200, so Meta never times out and nothing accepted is lost.
import { randomUUID } from 'node:crypto'
import { AppError, unauthenticated } from '@/core/errors/app-error'
import { verifyWebhookSignature } from '@/core/whatsapp/webhook-signature'
import { config } from '@/server/config'
import { coalescedWrites } from '@/server/db/coalesced-writes'
import { db } from '@/server/db/db'
import { parseJson, readRawBody } from '@/server/http/read-body'
import { log } from '@/server/log'

interface StoredPayload {
  id: string
  /** The body as Meta sent it: valid JSON, nested no deeper than the reader allows. */
  raw: string
  signature: string | null
}

// Meta posts many webhooks at once under load: those that arrive while an insert is in flight are
// stored together by the next one (one round trip and one commit for all of them). The raw bodies
// are joined into one JSON array, parsed once by Postgres, and matched to their ids by position.
const storePayload = coalescedWrites<StoredPayload>(
  async (payloads) => {
    await db().sql`
      insert into public.webhook_events (id, payload, signature)
      select i.id, p.payload, i.signature
      from jsonb_array_elements(${`[${payloads.map((p) => p.raw).join(',')}]`}::text::jsonb) with ordinality as p(payload, n)
      join unnest(${payloads.map((p) => p.id)}::uuid[], ${payloads.map((p) => p.signature)}::text[]) with ordinality as i(id, signature, n) using (n)`
  },
  { maxBatch: 100, inFlight: 2 },
)

// jsonb cannot hold U+0000, which a customer's text could carry: such an escape is stored as U+FFFD
// rather than refused with an error Meta would retry for days (the signature was checked on the bytes
// as sent). An escaped backslash before `u0000` is text, not the escape: only an odd run of them counts.
const storable = (json: string) => json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd')

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
  const id = randomUUID()
  await storePayload({ id, raw: storable(raw.toString('utf8')), signature })
  return id
}
