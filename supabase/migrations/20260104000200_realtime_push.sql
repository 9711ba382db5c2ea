-- Live inbox and web push.
--
-- Realtime: triggers announce which message or conversation changed on the `conversa_realtime`
-- channel. NOTIFY is transactional (nothing is heard from a rolled-back write, everything right after
-- the commit) and carries ids only: listeners refetch through the RLS-checked API. On Supabase the
-- same tables are also published to Supabase Realtime, which applies RLS to what each browser hears.

create or replace function private.announce_message_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('conversa_realtime', json_build_object(
    'type', 'message', 'tenantId', new.tenant_id, 'conversationId', new.conversation_id, 'messageId', new.id)::text);
  return null;
end;
$$;

create or replace function private.announce_conversation_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('conversa_realtime', json_build_object(
    'type', 'conversation', 'tenantId', new.tenant_id, 'conversationId', new.id)::text);
  return null;
end;
$$;

drop trigger if exists messages_announce_insert on public.messages;
create trigger messages_announce_insert after insert on public.messages
  for each row execute function private.announce_message_change();
-- Ticks and failures: only a status change is news, not e.g. a media row being linked.
drop trigger if exists messages_announce_status on public.messages;
create trigger messages_announce_status after update of status on public.messages
  for each row when (old.status is distinct from new.status)
  execute function private.announce_message_change();

-- A new message already announces itself; the conversation changes agents care about on their own
-- are who has it, its state, its labels and whether it has been read.
drop trigger if exists conversations_announce_update on public.conversations;
create trigger conversations_announce_update after update of status, assignee_id, tags, unread_count on public.conversations
  for each row when (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id
                     or old.tags is distinct from new.tags or old.unread_count is distinct from new.unread_count)
  execute function private.announce_conversation_change();
drop trigger if exists conversations_announce_insert on public.conversations;
create trigger conversations_announce_insert after insert on public.conversations
  for each row execute function private.announce_conversation_change();

do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'messages') then
      alter publication supabase_realtime add table public.messages;
    end if;
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'conversations') then
      alter publication supabase_realtime add table public.conversations;
    end if;
  end if;
end;
$$;

-- Web push: one row per browser a member enabled notifications in. The endpoint is the push
-- service's URL for that browser; p256dh and auth are the keys the payload is encrypted to.
create table if not exists public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null default auth.uid(),
  endpoint text not null check (endpoint ~ '^https://' and length(endpoint) <= 2048),
  p256dh text not null check (length(p256dh) between 16 and 200),
  auth text not null check (length(auth) between 8 and 100),
  user_agent text,
  created_at timestamptz not null default now(),
  last_success_at timestamptz,
  unique (tenant_id, endpoint),
  -- Leaving the workspace stops its notifications.
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
);
create index if not exists push_subscriptions_user_idx on public.push_subscriptions (tenant_id, user_id);

alter table public.push_subscriptions enable row level security;
alter table public.push_subscriptions force row level security;

-- Each member sees and manages only their own browsers; the worker sends with the service role.
drop policy if exists "members manage their own push subscriptions" on public.push_subscriptions;
create policy "members manage their own push subscriptions" on public.push_subscriptions
  for all to authenticated
  using (user_id = (select auth.uid()) and tenant_id in (select private.tenant_ids()))
  with check (user_id = (select auth.uid()) and tenant_id in (select private.tenant_ids()));

grant select, insert, update, delete on public.push_subscriptions to authenticated, service_role;
