// Template and account calls need a token valid for the WABA; any connected number of it has one.
import type { TransactionSql } from 'postgres'
import { AppError } from '@/core/errors/app-error'
import { openAccessToken } from './access-token'

export async function accountToken(tx: TransactionSql, accountId: string, encryptionKey: string): Promise<string> {
  const [number] = await tx<{ phoneNumberId: string; token: string }[]>`
    select phone_number_id as "phoneNumberId", access_token_ciphertext as token from public.whatsapp_numbers
    where account_id = ${accountId} order by (status = 'connected') desc, created_at limit 1`
  if (!number) throw new AppError('conflict', 'Connect a phone number of this WhatsApp Business Account first')
  return openAccessToken(number.token, number.phoneNumberId, encryptionKey)
}
