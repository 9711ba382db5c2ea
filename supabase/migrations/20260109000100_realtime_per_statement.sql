-- Realtime announcements per statement, not per row: a webhook batch that moves 1,000 statuses, or a
-- campaign feeding that adds 1,000 messages, announces each workspace once with the conversations it
-- touched (at most 100 to a notification, well under NOTIFY's 8,000 bytes), instead of 1,000 NOTIFYs
-- that every open inbox of the workspace would each refetch on.

-- p_tenants[i] and p_conversations[i] name one change; pairs may repeat.
create or replace function private.announce_conversations(p_tenants uuid[], p_conversations uuid[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v record;
begin
  for v in
    select c.tenant_id, array_agg(c.conversation_id) as ids
    from (select distinct tenant_id, conversation_id,
                 (dense_rank() over (partition by tenant_id order by conversation_id) - 1) / 100 as chunk
          from unnest(p_tenants, p_conversations) as u(tenant_id, conversation_id)) c
    group by c.tenant_id, c.chunk
  loop
    perform pg_notify('conversa_realtime', json_build_object('type', 'messages', 'tenantId', v.tenant_id, 'conversationIds', v.ids)::text);
  end loop;
end;
$$;
revoke all on function private.announce_conversations(uuid[], uuid[]) from public;

create or replace function private.announce_message_inserts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.announce_conversations(array_agg(n.tenant_id), array_agg(n.conversation_id)) from added n;
  return null;
end;
$$;

-- Ticks and failures: only a status change is news, not e.g. a media row being linked. (A trigger with
-- transition tables cannot name columns, so the comparison is here.)
create or replace function private.announce_message_status_changes()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.announce_conversations(array_agg(n.tenant_id), array_agg(n.conversation_id))
  from after_rows n join before_rows o on o.id = n.id
  where o.status is distinct from n.status;
  return null;
end;
$$;

-- The trigger functions run as their owner: members (whose writes fire them) may not call into private.
drop trigger if exists messages_announce_insert on public.messages;
create trigger messages_announce_insert after insert on public.messages
  referencing new table as added
  for each statement execute function private.announce_message_inserts();
drop trigger if exists messages_announce_status on public.messages;
create trigger messages_announce_status after update on public.messages
  referencing old table as before_rows new table as after_rows
  for each statement execute function private.announce_message_status_changes();
drop function if exists private.announce_message_change();

-- A downloaded (or failed) file is news for its message's conversation, in the same shape.
create or replace function private.announce_media_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.message_id is null then return null; end if;
  perform private.announce_conversations(array_agg(m.tenant_id), array_agg(m.conversation_id))
  from public.messages m where m.id = new.message_id and m.tenant_id = new.tenant_id;
  return null;
end;
$$;
