// Everything a send needs about its messages, loaded for a whole claimed batch in one query.
import type { Sql } from 'postgres'
import type { OutboundMessage } from '@/core/whatsapp/outbound-message'

export interface SendTarget {
  messageId: string
  tenantId: string
  status: string
  wamid: string | null
  body: OutboundMessage
  waId: string
  numberId: string
  phoneNumberId: string
  sealedToken: string
  mps: number
  /** The business portfolio (or, until we know it, the account) whose messaging limit this send uses. */
  portfolioKey: string
  messagingLimitTier: string
  messagingLimit: number | null
  /** True when the customer's 24-hour window is closed: the send opens a business-initiated conversation. */
  businessInitiated: boolean
  /** A campaign message: its campaign's status now, and whether its contact may still get campaigns. */
  campaignId: string | null
  campaignStatus: string | null
  contactExcluded: boolean
}

export async function loadSendTargets(sql: Sql, messageIds: string[]): Promise<Map<string, SendTarget>> {
  if (!messageIds.length) return new Map()
  const rows = await sql<SendTarget[]>`
    select m.id as "messageId", m.tenant_id as "tenantId", m.status, m.wamid, m.content as body,
           coalesce(m.content->>'to', ct.wa_id) as "waId",
           n.id as "numberId", n.phone_number_id as "phoneNumberId", n.access_token_ciphertext as "sealedToken",
           n.throughput_mps as mps,
           coalesce(a.business_id, a.id::text) as "portfolioKey", a.messaging_limit_tier as "messagingLimitTier", a.messaging_limit as "messagingLimit",
           (m.type = 'template' and coalesce(c.service_window_expires_at, '-infinity') <= now()) as "businessInitiated",
           m.campaign_id as "campaignId", cp.status as "campaignStatus",
           (ct.opted_out_at is not null or ct.blocked) as "contactExcluded"
    from public.messages m
    left join public.campaigns cp on cp.id = m.campaign_id
    join public.whatsapp_numbers n on n.id = m.number_id
    join public.whatsapp_business_accounts a on a.id = n.account_id
    join public.contacts ct on ct.id = m.contact_id
    left join public.conversations c on c.id = m.conversation_id
    where m.id = any(${messageIds}::uuid[]) and m.direction = 'outbound'`
  return new Map(rows.map((r) => [r.messageId, r]))
}
