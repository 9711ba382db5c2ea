-- 131047: Meta refused a free-form message because more than 24 hours have passed since the customer
-- last wrote. Meta's clock decides the window, so the conversation's window ends at that refusal, unless
-- the customer wrote again after it: the composer then offers templates only, and the next free-form
-- message is refused before it reaches Meta. A row trigger whose WHEN is false costs no function call.
create or replace function private.close_window_meta_refused()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  refused_at timestamptz := coalesce(new.failed_at, now());
begin
  update public.conversations c set service_window_expires_at = refused_at
  where c.id = new.conversation_id
    and c.service_window_expires_at > refused_at
    and (c.last_inbound_at is null or c.last_inbound_at <= refused_at);
  return null;
end;
$$;
revoke all on function private.close_window_meta_refused() from public;

create trigger messages_window_closed_by_meta after update of status on public.messages
  for each row when (new.status = 'failed' and old.status is distinct from 'failed' and new.error_code = 131047)
  execute function private.close_window_meta_refused();
