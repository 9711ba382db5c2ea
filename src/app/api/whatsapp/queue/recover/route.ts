// Stuck-job recovery, called every minute by a QStash schedule in production (the worker also runs it
// locally): jobs whose worker died return to their queues.
import { publicRoute } from '@/server/http/route'
import { readRawBody } from '@/server/http/read-body'
import { verifyQstashSignature } from '@/server/http/qstash-signature'
import { sendEngine } from '@/server/sending/engine'
import { queueAction } from '@/server/sending/queue-action'

const PATH = '/api/whatsapp/queue/recover'

export const POST = publicRoute({}, async ({ req }) => {
  await verifyQstashSignature(req, (await readRawBody(req, 64_000)).toString('utf8'), PATH)
  const queue = sendEngine().queue
  const [sends, webhooks] = await Promise.all([
    queueAction(queue, { action: 'recover_stuck', queue: 'sends' }),
    queueAction(queue, { action: 'recover_stuck', queue: 'webhooks' }),
  ])
  return { recovered: { sends: sends.affected, webhooks: webhooks.affected } }
})
