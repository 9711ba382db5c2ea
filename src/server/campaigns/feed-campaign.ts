// One feeding of one running campaign: takes its next pending recipients (locked, so two workers never
// take the same ones), skips those who may no longer be messaged, defers those in quiet hours, and turns
// the rest into queued template messages on their conversations — all in one transaction, so a crash
// leaves either nothing or rows the sweep hands to the send queue.
import { randomUUID } from 'node:crypto'
import { exclusionSql } from '@/core/campaigns/audience-sql'
import type { QuietHours, VariableMapping } from '@/core/campaigns/campaign-schemas'
import { renderForContact, type CampaignContact, type CampaignTemplate } from '@/core/campaigns/contact-values'
import { quietForMs } from '@/core/campaigns/quiet-hours'
import { recipientTimezone } from '@/core/campaigns/recipient-timezone'
import { messagePreview } from '@/core/whatsapp/message-preview'
import type { Db } from '@/server/db/create-db'

export interface RunningCampaign {
  id: string
  tenantId: string
  numberId: string
  phoneNumberId: string
  quietHours: QuietHours | null
  variables: VariableMapping
  template: CampaignTemplate
}

interface Candidate extends CampaignContact {
  recipientId: string
  exclusion: string | null
}

export interface FeedResult {
  queued: { id: string; phoneNumberId: string }[]
  skipped: number
  deferred: number
  /** Pending recipients were found at all (false: nothing left to take now). */
  found: number
}

export async function feedCampaign(db: Db, campaign: RunningCampaign, max: number, now = new Date()): Promise<FeedResult> {
  return db.withService(async (tx) => {
    // The campaign row first, as every state change takes it: locking recipients first and then (through
    // the new messages' foreign key) the campaign would deadlock with a cancel doing the opposite. A
    // campaign paused or cancelled since the tick read it is not fed.
    const [campaignRow] = await tx<{ status: string }[]>`select status from public.campaigns where id = ${campaign.id} for no key update`
    if (campaignRow?.status !== 'running') return { queued: [], skipped: 0, deferred: 0, found: 0 }
    const candidates = await tx<Candidate[]>`
      select r.id as "recipientId", ct.id, ct.wa_id as "waId", ct.name, ct.profile_name as "profileName", ct.email,
             ct.custom_fields as "customFields", ${exclusionSql(tx, campaign.template.category === 'MARKETING')} as exclusion
      from public.campaign_recipients r join public.contacts ct on ct.id = r.contact_id
      where r.campaign_id = ${campaign.id} and r.status = 'pending' and (r.next_attempt_at is null or r.next_attempt_at <= ${now})
      order by r.id
      limit ${max}
      for update of r skip locked`

    const skips: { id: string; reason: string }[] = []
    const defers: { id: string; at: string }[] = []
    const sends: { recipientId: string; messageId: string; contactId: string; content: unknown; values: Record<string, string> }[] = []
    for (const c of candidates) {
      if (c.exclusion) {
        skips.push({ id: c.recipientId, reason: c.exclusion })
        continue
      }
      const zone = campaign.quietHours ? recipientTimezone(c.waId!) : null
      const quietMs = zone && campaign.quietHours ? quietForMs(campaign.quietHours, zone, now) : 0
      if (quietMs > 0) {
        defers.push({ id: c.recipientId, at: new Date(now.getTime() + quietMs).toISOString() })
        continue
      }
      const rendered = renderForContact(campaign.template, campaign.variables, c)
      if (rendered.missing.length) {
        skips.push({ id: c.recipientId, reason: `missing_value:${rendered.missing.join(',')}` })
        continue
      }
      const messageId = randomUUID()
      const content = { ...rendered.message, messaging_product: 'whatsapp', recipient_type: 'individual', to: c.waId, biz_opaque_callback_data: messageId }
      sends.push({ recipientId: c.recipientId, messageId, contactId: c.id, content, values: rendered.values })
    }

    if (skips.length)
      await tx`
        update public.campaign_recipients r set status = 'skipped', skip_reason = v.reason
        from jsonb_to_recordset(${tx.json(skips)}) as v(id uuid, reason text) where r.id = v.id`
    if (defers.length)
      await tx`
        update public.campaign_recipients r set next_attempt_at = v.at
        from jsonb_to_recordset(${tx.json(defers)}) as v(id uuid, at timestamptz) where r.id = v.id`
    if (sends.length) {
      const preview = messagePreview('template', null, sends[0]!.content && (sends[0]!.content as { template: unknown }).template)
      // New conversations start closed: a campaign alone is no work for agents until the customer answers.
      const conversations = await tx<{ id: string; contactId: string }[]>`
        insert into public.conversations (tenant_id, number_id, contact_id, status, last_message_at, last_message_preview)
        select ${campaign.tenantId}, ${campaign.numberId}, unnest(${sends.map((s) => s.contactId)}::uuid[]), 'closed', ${now}, ${preview}
        on conflict (tenant_id, number_id, contact_id) do update set last_message_at = greatest(conversations.last_message_at, excluded.last_message_at),
          last_message_preview = excluded.last_message_preview
        returning id, contact_id as "contactId"`
      const conversationOf = new Map(conversations.map((c) => [c.contactId, c.id]))
      await tx`
        insert into public.messages (id, tenant_id, conversation_id, number_id, contact_id, direction, type, status, content, campaign_id, sent_by, "timestamp")
        select v.id, ${campaign.tenantId}, v.conversation_id, ${campaign.numberId}, v.contact_id, 'outbound', 'template', 'queued', v.content,
               ${campaign.id}, null, ${now}
        from jsonb_to_recordset(${tx.json(sends.map((s) => ({ id: s.messageId, conversation_id: conversationOf.get(s.contactId), contact_id: s.contactId, content: s.content })) as never)})
          as v(id uuid, conversation_id uuid, contact_id uuid, content jsonb)`
      await tx`
        update public.campaign_recipients r set status = 'queued', message_id = v.message_id, variables = v.vals, attempts = r.attempts + 1, next_attempt_at = null
        from jsonb_to_recordset(${tx.json(sends.map((s) => ({ id: s.recipientId, message_id: s.messageId, vals: s.values })) as never)})
          as v(id uuid, message_id uuid, vals jsonb)
        where r.id = v.id`
    }
    await tx`update public.campaigns set last_fed_at = ${now} where id = ${campaign.id}`
    return {
      queued: sends.map((s) => ({ id: s.messageId, phoneNumberId: campaign.phoneNumberId })),
      skipped: skips.length,
      deferred: defers.length,
      found: candidates.length,
    }
  })
}
