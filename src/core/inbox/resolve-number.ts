// Finds which tenant's number a webhook is about (phone_number_id is globally unique), with a
// per-payload cache since one POST often repeats the same number many times.
import type { TransactionSql } from 'postgres'

export interface ResolvedNumber {
  id: string
  tenantId: string
  accountId: string
}

export function createNumberResolver(tx: TransactionSql) {
  const cache = new Map<string, Promise<ResolvedNumber | null>>()
  return (phoneNumberId: string) => {
    let hit = cache.get(phoneNumberId)
    if (!hit) {
      hit = tx<ResolvedNumber[]>`
        select id, tenant_id as "tenantId", account_id as "accountId"
        from public.whatsapp_numbers where phone_number_id = ${phoneNumberId}`.then((rows) => rows[0] ?? null)
      cache.set(phoneNumberId, hit)
    }
    return hit
  }
}
