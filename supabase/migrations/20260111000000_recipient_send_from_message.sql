-- A campaign recipient no longer records its message's send or failure either: that was one more row
-- write per campaign message on a table of seven indexes where no update is HOT, made by a statement
-- trigger whose transition tables copied every updated message row, status webhooks included. The
-- recipient keeps what is its own — pending, queued (its message exists), skipped, replied — and
-- campaign_recipient_progress reads sent, delivered, read and failed, with their times and Meta's error,
-- from the message. A failed message is a failed recipient; retrying it makes the recipient pending.

drop view if exists public.campaign_recipient_progress;

-- Rows recorded before this read their send from the message as well.
update public.campaign_recipients set status = 'queued' where status in ('sent', 'failed') and message_id is not null;
-- A failure without a message (none is known to exist): pending again, so a retry decides afresh.
update public.campaign_recipients set status = 'pending' where status in ('sent', 'failed');
alter table public.campaign_recipients
  drop constraint if exists campaign_recipients_status_check,
  add constraint campaign_recipients_status_check check (status in ('pending', 'queued', 'replied', 'skipped')),
  drop column if exists sent_at,
  drop column if exists failed_at,
  drop column if exists error_code,
  drop column if exists error_title;

-- What the funnel, the recipient table, the governor and retargeting read: each recipient's furthest
-- step. A queued recipient is as far as its message; a reply proves delivery and reading (read receipts
-- may be off). security_invoker: the reader's own RLS applies to both tables.
create view public.campaign_recipient_progress with (security_invoker = true) as
select r.id, r.tenant_id, r.campaign_id, r.contact_id, r.message_id, r.skip_reason,
       case when m.status = 'failed' then m.error_code end as error_code,
       case when m.status = 'failed' then m.error_title end as error_title,
       r.attempts, r.next_attempt_at,
       case when m.status not in ('pending', 'queued', 'failed') or m.sent_at is not null
            then coalesce(m.sent_at, m.delivered_at, m.read_at) end as sent_at,
       r.replied_at,
       case when m.status = 'failed' then coalesce(m.failed_at, m.updated_at) end as failed_at,
       case
         when r.status <> 'queued' or m.status in ('pending', 'queued') then r.status
         when m.status = 'failed' then 'failed'
         when m.status in ('read', 'played') then 'read'
         when m.status = 'delivered' then 'delivered'
         else 'sent'
       end as status,
       coalesce(m.delivered_at, case when r.status = 'replied' then r.replied_at end) as delivered_at,
       coalesce(m.read_at, case when r.status = 'replied' then r.replied_at end) as read_at
from public.campaign_recipients r
left join public.messages m on m.id = r.message_id and r.status in ('queued', 'replied');

grant select on public.campaign_recipient_progress to authenticated, service_role;

-- 131050: the customer stopped marketing messages from this business; honour it everywhere. A row
-- trigger whose WHEN is false costs no function call, where the statement trigger it replaces copied
-- every updated message into its transition tables.
drop trigger if exists messages_track_campaign on public.messages;
drop function if exists private.track_campaign_messages();
create or replace function private.honour_marketing_stop()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.contacts c set marketing_opted_out_at = now()
  where c.id = new.contact_id and c.marketing_opted_out_at is null;
  return null;
end;
$$;
create trigger messages_marketing_stop after update of status on public.messages
  for each row when (new.status = 'failed' and old.status is distinct from 'failed' and new.error_code = 131050 and new.campaign_id is not null)
  execute function private.honour_marketing_stop();

-- A customer message within the campaign's reply window of its send credits the most recent such send.
create or replace function private.credit_campaign_reply()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.campaign_recipients r set status = 'replied', replied_at = new."timestamp"
  where r.id = (
    select r2.id from public.campaign_recipients r2
    join public.campaigns c on c.id = r2.campaign_id
    join public.messages m on m.id = r2.message_id
    where r2.tenant_id = new.tenant_id and r2.contact_id = new.contact_id
      and r2.status = 'queued' and m.status <> 'failed'
      -- Meta's timestamps are whole seconds: a quick reply may look a little older than our send.
      and m.sent_at <= new."timestamp" + interval '1 second'
      and m.sent_at > new."timestamp" - make_interval(hours => c.reply_window_hours)
    order by m.sent_at desc
    limit 1);
  return null;
end;
$$;

