// Tells Meta the customer's message was read (blue ticks). Best effort: a failure only loses the ticks.
import { config } from '@/server/config'
import { db } from '@/server/db/db'
import { log } from '@/server/log'
import { openAccessToken } from './access-token'
import { graph } from './graph'

export async function sendReadReceipt(phoneNumberId: string, wamid: string) {
  try {
    const [number] = await db().sql<{ token: string }[]>`
      select access_token_ciphertext as token from public.whatsapp_numbers where phone_number_id = ${phoneNumberId}`
    if (!number) return
    await graph().markAsRead(phoneNumberId, openAccessToken(number.token, phoneNumberId, config().ENCRYPTION_KEY), wamid)
  } catch (err) {
    log.warn({ err, wamid }, 'read receipt not sent')
  }
}
