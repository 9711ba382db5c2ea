// Connects a WhatsApp number to the workspace: the token is proven against Meta (it reads the number and the
// WABA, and the WABA lists the number) before anything is looked up or stored, then kept sealed; our app is
// subscribed to the WABA's webhooks. Re-connecting updates the token and Meta's facts.
import type { TransactionSql } from 'postgres'
import { z } from 'zod'
import { AppError } from '@/core/errors/app-error'
import { normalizeMessagingTier } from '@/core/whatsapp/normalize-messaging-tier'
import { sealAccessToken } from './access-token'
import type { GraphDeps } from './deps'
import { proveNumberOwnership, subscribeToWaba } from './prove-number-ownership'

export const connectNumberSchema = z.object({
  phoneNumberId: z.string().regex(/^\d{5,25}$/, 'must be the numeric phone number id from Meta'),
  wabaId: z.string().regex(/^\d{5,25}$/, 'must be the numeric WhatsApp Business Account id'),
  accessToken: z.string().trim().min(20).max(1024),
  sharedWithBusinessApp: z.boolean().default(false),
})
export type ConnectNumberInput = z.infer<typeof connectNumberSchema>

// Meta's per-number throughput: 80 MPS standard, 1,000 when upgraded, 20 for coexistence numbers.
function throughputFor(level: string | undefined, shared: boolean) {
  if (shared) return 20
  return level === 'HIGH' ? 1000 : 80
}

export async function connectNumber(tx: TransactionSql, tenantId: string, input: ConnectNumberInput, deps: GraphDeps) {
  // First the proof, before any query: an unproven claim must not learn whether another workspace holds the WABA.
  const info = await proveNumberOwnership(deps.graph, input)
  const tier = normalizeMessagingTier(info.messagingLimitTier) ?? 'TIER_250'
  // Insert, else update our own row. Not ON CONFLICT DO UPDATE: under RLS a conflicting row of another
  // workspace fails the UPDATE policy check with a raw error before the WHERE clause is looked at.
  const [newAccount] = await tx<{ id: string }[]>`
    insert into public.whatsapp_business_accounts (tenant_id, waba_id, name, messaging_limit_tier)
    values (${tenantId}, ${input.wabaId}, ${info.verifiedName ?? null}, ${tier})
    on conflict (waba_id) do nothing
    returning id`
  const [account] = newAccount
    ? [newAccount]
    : await tx<{ id: string }[]>`
        update public.whatsapp_business_accounts set messaging_limit_tier = ${tier}
        where waba_id = ${input.wabaId} and tenant_id = ${tenantId}
        returning id`
  if (!account) throw new AppError('conflict', 'This WhatsApp Business Account is connected to another workspace')
  const sealed = sealAccessToken(input.accessToken, input.phoneNumberId, deps.encryptionKey)
  const throughput = throughputFor(info.throughput?.level, input.sharedWithBusinessApp)
  const [newNumber] = await tx`
    insert into public.whatsapp_numbers (tenant_id, account_id, phone_number_id, display_phone_number, verified_name,
      access_token_ciphertext, throughput_mps, quality_rating, status, is_shared_with_business_app)
    values (${tenantId}, ${account.id}, ${input.phoneNumberId}, ${info.displayPhoneNumber ?? null}, ${info.verifiedName ?? null},
      ${sealed}, ${throughput}, ${info.qualityRating ?? 'UNKNOWN'}, 'connected', ${input.sharedWithBusinessApp})
    on conflict (phone_number_id) do nothing
    returning id, phone_number_id as "phoneNumberId", display_phone_number as "displayPhoneNumber", verified_name as "verifiedName",
              throughput_mps as "throughputMps", quality_rating as "qualityRating", status`
  const [number] = newNumber
    ? [newNumber]
    : await tx`
        update public.whatsapp_numbers set access_token_ciphertext = ${sealed},
          display_phone_number = ${info.displayPhoneNumber ?? null}, verified_name = ${info.verifiedName ?? null},
          throughput_mps = ${throughput}, quality_rating = ${info.qualityRating ?? 'UNKNOWN'}, status = 'connected', last_error = null
        where phone_number_id = ${input.phoneNumberId} and tenant_id = ${tenantId}
        returning id, phone_number_id as "phoneNumberId", display_phone_number as "displayPhoneNumber", verified_name as "verifiedName",
                  throughput_mps as "throughputMps", quality_rating as "qualityRating", status`
  if (!number) throw new AppError('conflict', 'This phone number is connected to another workspace')
  // Last, so a refused connect subscribes nothing; if Meta refuses, the transaction rolls the rows back.
  await subscribeToWaba(deps.graph, input.wabaId, input.accessToken)
  return number
}
