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
-- message later; later steps of a sent message change nothing here. Once per statement, set-based: the
-- worker records a batch of sends in one statement. Each message has one recipient and the statement
-- already holds the messages' row locks, so concurrent statements never wait on each other here.
create or replace function private.track_campaign_messages()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The statement's moves that matter to a recipient, found once for both writes below.
  with moved as (
    select n.id, n.tenant_id, n.contact_id, n.status, n.sent_at, n.failed_at, n.error_code, n.error_title, o.status as was
    from after_rows n join before_rows o on o.id = n.id
    where n.campaign_id is not null and n.status is distinct from o.status and (o.status in ('pending', 'queued') or n.status = 'failed')
  ), recipients as (
    update public.campaign_recipients r set
      status = case when n.status = 'failed' then 'failed' when r.status in ('pending', 'queued') then 'sent' else r.status end,
      sent_at = coalesce(r.sent_at, n.sent_at, case when n.status <> 'failed' then now() end),
      failed_at = case when n.status = 'failed' then coalesce(n.failed_at, now()) else r.failed_at end,
      error_code = case when n.status = 'failed' then n.error_code else r.error_code end,
      error_title = case when n.status = 'failed' then n.error_title else r.error_title end
    from moved n
    where r.tenant_id = n.tenant_id and r.message_id = n.id
  )
  -- 131050: the customer stopped marketing messages from this business; honour it everywhere.
  update public.contacts c set marketing_opted_out_at = coalesce(c.marketing_opted_out_at, now())
  from moved n
  where n.status = 'failed' and n.was is distinct from 'failed' and n.error_code = 131050 and c.id = n.contact_id;
  return null;
end;
$$;

drop trigger if exists messages_track_campaign on public.messages;
create trigger messages_track_campaign after update on public.messages
  referencing old table as before_rows new table as after_rows
  for each statement execute function private.track_campaign_messages();
drop function if exists private.track_campaign_message();

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
