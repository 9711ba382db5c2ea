// Hands a stored outbound message to delivery. Today that is an immediate send after the request
// commits; the send engine replaces this with its queue behind the same call.
import { config } from '@/server/config'
import { db } from '@/server/db/db'
import { log } from '@/server/log'
import { deliverOutboundMessage } from './deliver-outbound-message'
import { graph } from './graph'

export async function dispatchOutbound(messageId: string): Promise<void> {
  try {
    await deliverOutboundMessage({ db: db(), graph: graph(), encryptionKey: config().ENCRYPTION_KEY }, messageId)
  } catch (err) {
    // The message stays pending/queued; the worker's sweep picks it up again.
    log.error({ err, messageId }, 'outbound delivery crashed')
  }
}
