-- Tenancy core (tenants, memberships, member_role) and the security-definer helpers RLS policies call.
-- Helpers live in `private`, a schema no API exposes; they bypass RLS because their owner does
-- (superuser locally, BYPASSRLS `postgres` on Supabase) — which is also what keeps the policies
-- on memberships from recursing into themselves.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

do $$
begin
  -- Declaration order is privilege order (owner < admin < supervisor < agent), used by least().
  create type public.member_role as enum ('owner', 'admin', 'supervisor', 'agent');
exception when duplicate_object then
  null;
end
$$;

create table if not exists public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'),
  plan text not null default 'free',
  status text not null default 'active' check (status in ('active', 'suspended')),
  timezone text not null default 'UTC',
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists public.memberships (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.member_role not null default 'agent',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, user_id)
);
-- Every helper below looks memberships up by the caller's user id.
create index if not exists memberships_user_id_idx on public.memberships (user_id, tenant_id);

-- Helpers -----------------------------------------------------------------------------------

create or replace function private.tenant_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.tenant_id from public.memberships m where m.user_id = auth.uid()
$$;

-- Set-returning variant for role-gated policies: `tenant_id in (select ...)` runs once per statement.
create or replace function private.tenant_ids_with_role(p_roles public.member_role[])
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.tenant_id from public.memberships m
  where m.user_id = auth.uid() and m.role = any (p_roles)
$$;

create or replace function private.is_member(p_tenant uuid)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = auth.uid()
  )
$$;

create or replace function private.has_role(p_tenant uuid, p_roles public.member_role[])
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.tenant_id = p_tenant and m.user_id = auth.uid() and m.role = any (p_roles)
  )
$$;

-- app_metadata is writable only by the server (service role), never by the user. Only a JSON
-- `true` counts, so a malformed value denies instead of raising inside every policy.
create or replace function private.is_platform_admin()
returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((auth.jwt() -> 'app_metadata' -> 'platform_admin') = 'true'::jsonb, false)
$$;

-- Owners may grant any role; admins any role but owner; everyone else nothing.
create or replace function private.can_grant_role(p_tenant uuid, p_role public.member_role)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((
    select case m.role
             when 'owner' then true
             when 'admin' then p_role is distinct from 'owner'::public.member_role
             else false
           end
    from public.memberships m
    where m.tenant_id = p_tenant and m.user_id = auth.uid()
  ), false)
$$;

-- Users who share at least one tenant with the caller (profiles visibility).
create or replace function private.co_member_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select distinct other.user_id
  from public.memberships mine
  join public.memberships other on other.tenant_id = mine.tenant_id
  where mine.user_id = auth.uid()
$$;

create or replace function private.set_updated_at()
returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- A tenant must keep an owner. Cascades from deleting the tenant or the user are let through
-- (the parent row is already gone when they run). The tenant row lock serialises two owners
-- demoting each other concurrently.
create or replace function private.protect_last_owner()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if old.role <> 'owner'::public.member_role
     or (tg_op = 'UPDATE' and new.role = 'owner'::public.member_role and new.tenant_id = old.tenant_id) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if not exists (select 1 from public.tenants t where t.id = old.tenant_id)
     or not exists (select 1 from auth.users u where u.id = old.user_id) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  perform 1 from public.tenants t where t.id = old.tenant_id for update;
  if not exists (
    select 1 from public.memberships m
    where m.tenant_id = old.tenant_id and m.role = 'owner'::public.member_role and m.id <> old.id
  ) then
    raise exception using errcode = 'P0001', message = 'last_owner',
      detail = 'A tenant must keep at least one owner.';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create or replace trigger memberships_protect_last_owner
  before update or delete on public.memberships
  for each row execute function private.protect_last_owner();

create or replace trigger tenants_set_updated_at
  before update on public.tenants
  for each row execute function private.set_updated_at();

create or replace trigger memberships_set_updated_at
  before update on public.memberships
  for each row execute function private.set_updated_at();

-- Functions are executable by PUBLIC by default; only the roles that evaluate policies need them.
revoke all on all functions in schema private from public;
grant execute on function
  private.tenant_ids(),
  private.tenant_ids_with_role(public.member_role[]),
  private.is_member(uuid),
  private.has_role(uuid, public.member_role[]),
  private.is_platform_admin(),
  private.can_grant_role(uuid, public.member_role),
  private.co_member_ids()
to authenticated, service_role;
