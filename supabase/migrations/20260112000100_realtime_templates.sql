-- A template's review outcome comes from Meta at any time (APPROVED, REJECTED with its reason, PAUSED,
-- a new quality score): the templates page and the pickers follow it live, as the inbox follows messages.
create or replace function private.announce_template_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('conversa_realtime', json_build_object('type', 'template', 'tenantId', new.tenant_id, 'templateId', new.id)::text);
  return null;
end;
$$;
revoke all on function private.announce_template_change() from public;

create trigger templates_announce_insert after insert on public.templates
  for each row execute function private.announce_template_change();
create trigger templates_announce_update after update of status, category, quality_score, rejected_reason, components on public.templates
  for each row execute function private.announce_template_change();

do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime')
     and not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'templates') then
    alter publication supabase_realtime add table public.templates;
  end if;
end;
$$;
