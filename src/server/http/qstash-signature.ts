// Calls QStash delivers (schedules, delayed publishes) carry `Upstash-Signature`: a JWT over the raw
// body signed with the current or next signing key. Verified with @upstash/qstash's own Receiver; any
// failure, or no keys configured, is 401.
import { Receiver } from '@upstash/qstash'
import { unauthenticated } from '@/core/errors/app-error'
import { config } from '@/server/config'
import { log } from '@/server/log'

export async function verifyQstashSignature(req: Request, rawBody: string, path: string): Promise<void> {
  const c = config()
  const signature = req.headers.get('upstash-signature')
  if (!c.QSTASH_CURRENT_SIGNING_KEY || !c.QSTASH_NEXT_SIGNING_KEY) throw unauthenticated('QStash signing keys are not configured')
  if (!signature) throw unauthenticated('Missing Upstash-Signature')
  const receiver = new Receiver({ currentSigningKey: c.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: c.QSTASH_NEXT_SIGNING_KEY })
  // The signed `sub` must be this very endpoint, so a signature for another route cannot be replayed here.
  const url = new URL(path, c.APP_URL).toString()
  const valid = await receiver.verify({ signature, body: rawBody, url }).catch(() => false)
  if (!valid) {
    log.warn({ path }, 'QStash signature rejected')
    throw unauthenticated('Invalid Upstash-Signature')
  }
}
