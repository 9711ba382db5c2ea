-- A campaign recipient no longer mirrors every status of its message. The mirror cost two more row
-- writes per campaign message (delivered, read) on a table of seven indexes, where no update is HOT:
-- about a third of a campaign's WAL. The recipient row keeps what is its own — pending, queued, skipped,
-- the send (sent or failed, with Meta's error) and the reply credit — and delivered/read are read from
-- the message itself through campaign_recipient_progress, so they are never stale nor written twice.

-- Rows mirrored before this read their later steps from the message as well.
update public.campaign_recipients set status = 'sent' where status in ('delivered', 'read');
alter table public.campaign_recipients
  drop constraint if exists campaign_recipients_status_check,
  add constraint campaign_recipients_status_check check (status in ('pending', 'queued', 'sent', 'replied', 'failed', 'skipped')),
  drop column if exists delivered_at,
  drop column if exists read_at,
  -- Never written: the message holds the wamid.
  drop column if exists wamid;

-- The recipient leaves the queue when its message is sent or fails (whichever code path moved it: the
-- worker's answer, a refusal, a status webhook, an adopted in-doubt send), and fails if Meta fails the
-- message later. Later steps of a sent message fire nothing: the WHEN clause filters them out without
-- a function call.
create or replace function private.track_campaign_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.campaign_recipients r set
    status = case
      when new.status = 'failed' then 'failed'
      when r.status in ('pending', 'queued') then 'sent'
      else r.status
    end,
    sent_at = coalesce(r.sent_at, new.sent_at, case when new.status <> 'failed' then now() end),
    failed_at = case when new.status = 'failed' then coalesce(new.failed_at, now()) else r.failed_at end,
    error_code = case when new.status = 'failed' then new.error_code else r.error_code end,
    error_title = case when new.status = 'failed' then new.error_title else r.error_title end
  where r.tenant_id = new.tenant_id and r.message_id = new.id;
  -- 131050: the customer stopped marketing messages from this business; honour it everywhere.
  if new.status = 'failed' and new.error_code = 131050 then
    update public.contacts set marketing_opted_out_at = coalesce(marketing_opted_out_at, now())
    where id = new.contact_id;
  end if;
  return null;
end;
$$;

drop trigger if exists messages_track_campaign on public.messages;
create trigger messages_track_campaign after update of status on public.messages
  for each row when (new.campaign_id is not null and new.status is distinct from old.status
                     and (old.status in ('pending', 'queued') or new.status = 'failed'))
  execute function private.track_campaign_message();

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
    where r2.tenant_id = new.tenant_id and r2.contact_id = new.contact_id
      and r2.status = 'sent'
      -- Meta's timestamps are whole seconds: a quick reply may look a little older than our send.
      and r2.sent_at <= new."timestamp" + interval '1 second'
      and r2.sent_at > new."timestamp" - make_interval(hours => c.reply_window_hours)
    order by r2.sent_at desc
    limit 1);
  return null;
end;
$$;

-- What the funnel, the recipient table, the governor and retargeting read: each recipient's furthest
-- step. A sent recipient is delivered or read as its message is; a reply proves both (read receipts may
-- be off). security_invoker: the reader's own RLS applies to both tables.
create or replace view public.campaign_recipient_progress with (security_invoker = true) as
select r.id, r.tenant_id, r.campaign_id, r.contact_id, r.message_id, r.skip_reason, r.error_code, r.error_title,
       r.attempts, r.next_attempt_at, r.sent_at, r.replied_at, r.failed_at,
       case
         when r.status = 'sent' and m.status in ('read', 'played') then 'read'
         when r.status = 'sent' and m.status = 'delivered' then 'delivered'
         else r.status
       end as status,
       coalesce(m.delivered_at, case when r.status = 'replied' then r.replied_at end) as delivered_at,
       coalesce(m.read_at, case when r.status = 'replied' then r.replied_at end) as read_at
from public.campaign_recipients r
left join public.messages m on m.id = r.message_id and r.status in ('sent', 'replied');

grant select on public.campaign_recipient_progress to authenticated, service_role;
