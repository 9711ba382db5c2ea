// Stuck-job recovery, called every minute by a QStash schedule in production (the worker also runs it
// locally): send jobs whose worker died return to their queues. Stored webhook payloads need none (their
// claim ends with the claiming transaction); they are answered as 0 so the response keeps its shape.
import { db } from '@/server/db/db'
import { publicRoute } from '@/server/http/route'
import { readRawBody } from '@/server/http/read-body'
import { verifyQstashSignature } from '@/server/http/qstash-signature'
import { sendEngine } from '@/server/sending/engine'
import { queueAction } from '@/server/sending/queue-action'

const PATH = '/api/whatsapp/queue/recover'

export const POST = publicRoute({}, async ({ req }) => {
  await verifyQstashSignature(req, (await readRawBody(req, 64_000)).toString('utf8'), PATH)
  const recover = (queue: 'sends' | 'webhooks') => queueAction(sendEngine().queue, db(), { action: 'recover_stuck', queue })
  const [sends, webhooks] = await Promise.all([recover('sends'), recover('webhooks')])
  return { recovered: { sends: sends.affected, webhooks: webhooks.affected } }
})
