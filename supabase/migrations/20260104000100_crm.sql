-- CRM: notes on contacts, CSV import runs (report kept for a reload) and the per-import phone keys
-- that let later batches of the same file recognise a repeated number; indexes for list and filters.

-- The contacts list sorts by display name then id (keyset pagination walks this index).
create index if not exists contacts_sort_idx on public.contacts (tenant_id, lower(coalesce(name, profile_name, wa_id, '')), id);
-- Custom-field filters are written as containment (custom_fields @> {"key": "value"}).
create index if not exists contacts_custom_fields_idx on public.contacts using gin (custom_fields jsonb_path_ops);

create table if not exists public.contact_notes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  contact_id uuid not null,
  author_id uuid default auth.uid() references auth.users (id) on delete set null,
  body text not null check (char_length(btrim(body)) between 1 and 5000),
  created_at timestamptz not null default now(),
  foreign key (tenant_id, contact_id) references public.contacts (tenant_id, id) on delete cascade
);
create index if not exists contact_notes_contact_idx on public.contact_notes (tenant_id, contact_id, created_at desc);

create table if not exists public.contact_imports (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  file_name text not null default '' check (char_length(file_name) <= 255),
  default_country text check (default_country ~ '^[A-Z]{2}$'),
  status text not null default 'running' check (status in ('running', 'completed')),
  total_rows integer check (total_rows >= 0),
  -- Highest file line already handled: a retried batch skips what it already did.
  last_row integer not null default 0 check (last_row >= 0),
  processed_rows integer not null default 0 check (processed_rows >= 0),
  created_count integer not null default 0 check (created_count >= 0),
  updated_count integer not null default 0 check (updated_count >= 0),
  duplicate_count integer not null default 0 check (duplicate_count >= 0),
  rejected_count integer not null default 0 check (rejected_count >= 0),
  -- The first rejected rows with reasons ({row, reason}); capped by the app, the count is exact.
  rejected jsonb not null default '[]' check (jsonb_typeof(rejected) = 'array'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (tenant_id, id)
);
create index if not exists contact_imports_tenant_idx on public.contact_imports (tenant_id, created_at desc);

create or replace trigger contact_imports_set_updated_at
  before update on public.contact_imports
  for each row execute function private.set_updated_at();

create table if not exists public.contact_import_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  import_id uuid not null,
  wa_id text not null,
  unique (import_id, wa_id),
  foreign key (tenant_id, import_id) references public.contact_imports (tenant_id, id) on delete cascade
);

alter table public.contact_notes enable row level security;
alter table public.contact_notes force row level security;
alter table public.contact_imports enable row level security;
alter table public.contact_imports force row level security;
alter table public.contact_import_keys enable row level security;
alter table public.contact_import_keys force row level security;

drop policy if exists "members read their tenant's contact notes" on public.contact_notes;
create policy "members read their tenant's contact notes" on public.contact_notes
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members write notes in their own name" on public.contact_notes;
create policy "members write notes in their own name" on public.contact_notes
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()) and author_id = (select auth.uid()));
drop policy if exists "authors and supervisors delete notes" on public.contact_notes;
create policy "authors and supervisors delete notes" on public.contact_notes
  for delete to authenticated
  using (
    (tenant_id in (select private.tenant_ids()) and author_id = (select auth.uid()))
    or tenant_id in (select private.tenant_ids_with_role('{owner,admin,supervisor}'))
  );

drop policy if exists "members read their tenant's contact imports" on public.contact_imports;
create policy "members read their tenant's contact imports" on public.contact_imports
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members start imports in their own name" on public.contact_imports;
create policy "members start imports in their own name" on public.contact_imports
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()) and created_by = (select auth.uid()));
drop policy if exists "members record progress of their tenant's imports" on public.contact_imports;
create policy "members record progress of their tenant's imports" on public.contact_imports
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));

drop policy if exists "members read their tenant's import keys" on public.contact_import_keys;
create policy "members read their tenant's import keys" on public.contact_import_keys
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add keys to their tenant's imports" on public.contact_import_keys;
create policy "members add keys to their tenant's imports" on public.contact_import_keys
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members clear the keys of their tenant's finished imports" on public.contact_import_keys;
create policy "members clear the keys of their tenant's finished imports" on public.contact_import_keys
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- Notes are never edited; import reports are never edited or deleted by hand (they go with the tenant);
-- an import's keys are cleared when its last batch is in.
revoke all on public.contact_notes, public.contact_imports, public.contact_import_keys from anon;
grant select, insert, delete on public.contact_notes to authenticated;
revoke update on public.contact_notes from authenticated;
grant select, insert on public.contact_imports to authenticated;
revoke update on public.contact_imports from authenticated;
grant update (status, total_rows, last_row, processed_rows, created_count, updated_count, duplicate_count, rejected_count, rejected, finished_at)
  on public.contact_imports to authenticated;
revoke delete on public.contact_imports from authenticated;
grant select, insert, delete on public.contact_import_keys to authenticated;
revoke update on public.contact_import_keys from authenticated;
grant select, insert, update, delete on public.contact_notes, public.contact_imports, public.contact_import_keys to service_role;
