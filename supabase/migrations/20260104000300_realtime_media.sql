-- A customer's photo or document is downloaded from Meta after its message was announced; when the
-- download finishes (or fails) the message is announced again so open chats show the file without
-- polling.
create or replace function private.announce_media_change()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_conversation uuid;
begin
  if new.message_id is null then return null; end if;
  select m.conversation_id into v_conversation from public.messages m where m.id = new.message_id and m.tenant_id = new.tenant_id;
  if v_conversation is not null then
    perform pg_notify('conversa_realtime', json_build_object(
      'type', 'message', 'tenantId', new.tenant_id, 'conversationId', v_conversation, 'messageId', new.message_id)::text);
  end if;
  return null;
end;
$$;

drop trigger if exists media_announce_status on public.media;
create trigger media_announce_status after update of status on public.media
  for each row when (old.status is distinct from new.status)
  execute function private.announce_media_change();
