-- Campaigns: governor settings, hand-picked/CSV audiences, the funnel kept by triggers on messages,
-- reply credit, and the markers the send engine needs to send a campaign message at most once.

alter table public.campaigns
  add column if not exists reply_window_hours integer not null default 168 check (reply_window_hours between 1 and 720),
  add column if not exists min_delivery_rate numeric(4, 3) default 0.7 check (min_delivery_rate between 0 and 1),
  add column if not exists retarget_of uuid,
  -- The QStash message that starts a scheduled campaign: deleted when it is cancelled or launched early.
  add column if not exists schedule_message_id text,
  -- Round robin: the feeder serves the campaign it served longest ago first.
  add column if not exists last_fed_at timestamptz,
  -- The governor judges failures and delivery since this moment: a resume after its pause starts afresh.
  add column if not exists governor_since timestamptz;

alter table public.campaign_recipients
  add column if not exists skip_reason text;
-- The feeder's walk: the next pending recipients of a campaign.
create index if not exists campaign_recipients_pending_idx on public.campaign_recipients (campaign_id, id) where status = 'pending';

-- Meta reports the portfolio's limit as a number (whatsapp_business_manager_messaging_limit); an admin may
-- also set it when Meta's figure lags. When set it wins over the tier.
alter table public.whatsapp_business_accounts
  add column if not exists messaging_limit integer check (messaging_limit > 0);

-- Set just before a send is attempted and cleared when the attempt's outcome is known: a message with
-- it set and no wamid is "in doubt" (its worker died mid-send) and is not sent again until Meta's
-- status webhook had time to say whether it went (biz_opaque_callback_data carries our message id).
alter table public.messages
  add column if not exists send_attempted_at timestamptz;

-- Contacts attached to a campaign whose audience is a list (CSV upload or hand-picked).
create table if not exists public.campaign_audience_contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  campaign_id uuid not null,
  contact_id uuid not null,
  created_at timestamptz not null default now(),
  unique (campaign_id, contact_id),
  foreign key (tenant_id, campaign_id) references public.campaigns (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references public.contacts (tenant_id, id) on delete cascade
);
create index if not exists campaign_audience_contacts_contact_idx on public.campaign_audience_contacts (tenant_id, contact_id);

alter table public.campaign_audience_contacts enable row level security;
alter table public.campaign_audience_contacts force row level security;
drop policy if exists "members read their tenant's campaign audiences" on public.campaign_audience_contacts;
create policy "members read their tenant's campaign audiences" on public.campaign_audience_contacts
  for select to authenticated using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add to their tenant's campaign audiences" on public.campaign_audience_contacts;
create policy "members add to their tenant's campaign audiences" on public.campaign_audience_contacts
  for insert to authenticated with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members remove from their tenant's campaign audiences" on public.campaign_audience_contacts;
create policy "members remove from their tenant's campaign audiences" on public.campaign_audience_contacts
  for delete to authenticated using (tenant_id in (select private.tenant_ids()));
grant select, insert, delete on public.campaign_audience_contacts to authenticated, service_role;

-- The funnel follows the message: every status change of a campaign message (sent by the worker,
-- delivered/read/failed by Meta's webhooks, failed at once by a refusal) lands on its recipient row,
-- whichever code path made it. A reply already credited stays the recipient's status.
create or replace function private.track_campaign_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.campaign_recipients r set
    status = case
      when r.status = 'replied' and new.status <> 'failed' then 'replied'
      when new.status = 'failed' then 'failed'
      when new.status in ('read', 'played') then 'read'
      when new.status in ('delivered', 'sent') then new.status
      else r.status
    end,
    sent_at = coalesce(new.sent_at, r.sent_at),
    delivered_at = coalesce(new.delivered_at, r.delivered_at),
    read_at = coalesce(new.read_at, r.read_at),
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
  for each row when (new.campaign_id is not null and new.status is distinct from old.status)
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
      and r2.status in ('sent', 'delivered', 'read')
      -- Meta's timestamps are whole seconds: a quick reply may look a little older than our send.
      and r2.sent_at <= new."timestamp" + interval '1 second'
      and r2.sent_at > new."timestamp" - make_interval(hours => c.reply_window_hours)
    order by r2.sent_at desc
    limit 1);
  return null;
end;
$$;

drop trigger if exists messages_credit_campaign_reply on public.messages;
create trigger messages_credit_campaign_reply after insert on public.messages
  for each row when (new.direction = 'inbound' and new.type not in ('system', 'unsupported'))
  execute function private.credit_campaign_reply();

-- A member's view of the messaging-limit usage of their own account's portfolio, for campaign estimates:
-- the send engine's state is not theirs to read, and reading it over a second connection from inside a
-- request's transaction would wait forever on the embedded single-session database.
create or replace function private.portfolio_usage(p_account uuid, p_window_ms double precision)
returns integer
language sql
volatile
security definer
set search_path = ''
as $$
  select engine.unique_count('portfolio:' || coalesce(a.business_id, a.id::text), p_window_ms)
  from public.whatsapp_business_accounts a
  where a.id = p_account and a.tenant_id in (select private.tenant_ids())
$$;
revoke all on function private.portfolio_usage(uuid, double precision) from public;
grant execute on function private.portfolio_usage(uuid, double precision) to authenticated, service_role;
