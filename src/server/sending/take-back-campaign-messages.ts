// A campaign message that must not go out after all (its campaign paused or cancelled, its contact
// opted out or blocked) is taken back before any attempt: the message row goes, and its recipient
// returns to pending (paused) or becomes skipped with the reason (cancelled, opted out, blocked).
import type { Db } from '@/server/db/create-db'

export async function takeBackCampaignMessages(db: Db, messageIds: string[]): Promise<void> {
  if (!messageIds.length) return
  await db.withService(async (tx) => {
    // Recipients first: deleting the message would null their message_id on the way.
    await tx`
      update public.campaign_recipients r set
        status = case when c.status = 'cancelled' or ct.opted_out_at is not null or ct.blocked then 'skipped' else 'pending' end,
        skip_reason = case when c.status = 'cancelled' then 'cancelled' when ct.opted_out_at is not null then 'opted_out' when ct.blocked then 'blocked' end,
        message_id = null
      from public.messages m, public.campaigns c, public.contacts ct
      where m.id = any(${messageIds}::uuid[]) and m.wamid is null and m.status in ('pending', 'queued')
        and r.tenant_id = m.tenant_id and r.message_id = m.id and c.id = m.campaign_id and ct.id = m.contact_id`
    await tx`delete from public.messages where id = any(${messageIds}::uuid[]) and wamid is null and status in ('pending', 'queued')`
  })
}
