-- Minimal stand-in for what Supabase provides (roles, auth.users, auth.uid/role/jwt) so the same
-- migrations and RLS policies run on plain Postgres and PGlite. Every step is conditional: on real
-- Supabase, where all of this exists, the file changes nothing. Safe to re-run and to race.

-- Roles are cluster-wide: another database (or a concurrent runner) may have created them already.
do $$
declare
  r record;
begin
  for r in
    select * from (values ('anon', false), ('authenticated', false), ('service_role', true)) as v(name, bypass)
  loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = r.name) then
      begin
        execute format('create role %I nologin noinherit%s', r.name,
                       case when r.bypass then ' bypassrls' else '' end);
      exception when duplicate_object or unique_violation then
        null; -- lost a race with another runner: the role exists, which is all we need
      end;
    end if;
  end loop;
end
$$;

do $$
begin
  if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth') then
    begin
      execute 'create schema auth';
    exception when duplicate_schema or unique_violation then
      null;
    end;
  end if;
end
$$;

do $$
begin
  if not exists (
    select 1 from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'auth' and c.relname = 'users'
  ) then
    begin
      execute $ddl$
        create table auth.users (
          id uuid primary key default gen_random_uuid(),
          email text unique,
          encrypted_password text,
          raw_app_meta_data jsonb not null default '{}',
          raw_user_meta_data jsonb not null default '{}',
          created_at timestamptz default now(),
          updated_at timestamptz default now(),
          last_sign_in_at timestamptz
        )
      $ddl$;
    exception when duplicate_table or unique_violation then
      null;
    end;
  end if;
end
$$;

-- Same bodies as Supabase's: the legacy per-claim settings first, then request.jwt.claims.
-- One deliberate difference: auth.jwt() returns '{}' (Supabase: NULL) when no claims are set;
-- callers must treat both alike (-> on either yields NULL).
do $$
declare
  f record;
begin
  for f in
    select * from (values
      ('uid', 'uuid', $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $body$),
      ('role', 'text', $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $body$),
      ('jwt', 'jsonb', $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), ''),
          '{}'
        )::jsonb
      $body$)
    ) as v(name, rettype, body)
  loop
    if not exists (
      select 1 from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'auth' and p.proname = f.name and p.pronargs = 0
    ) then
      begin
        execute format('create function auth.%I() returns %s language sql stable as %L',
                       f.name, f.rettype, f.body);
      exception when duplicate_function or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

-- Grant only what is missing and only on objects we own (superuser owns all), so on Supabase,
-- where postgres does not own auth.*, nothing is attempted.
do $$
declare
  r text;
  fn text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if exists (
      select 1 from pg_catalog.pg_namespace n
      where n.nspname = 'auth' and pg_catalog.pg_has_role(current_user, n.nspowner, 'USAGE')
        and not pg_catalog.has_schema_privilege(r, n.oid, 'USAGE')
    ) then
      execute format('grant usage on schema auth to %I', r);
    end if;

    -- PUBLIC already has USAGE on public in PG15, so look for an explicit entry for the role.
    if exists (
      select 1 from pg_catalog.pg_namespace n
      where n.nspname = 'public' and pg_catalog.pg_has_role(current_user, n.nspowner, 'USAGE')
        and not exists (
          select 1 from pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a
          where a.grantee = (select oid from pg_catalog.pg_roles where rolname = r)
            and a.privilege_type = 'USAGE'
        )
    ) then
      execute format('grant usage on schema public to %I', r);
    end if;

    foreach fn in array array['uid', 'role', 'jwt'] loop
      if exists (
        select 1 from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'auth' and p.proname = fn and p.pronargs = 0
          and pg_catalog.pg_has_role(current_user, p.proowner, 'USAGE')
          and not exists (
            select 1 from pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) a
            where a.grantee = (select oid from pg_catalog.pg_roles where rolname = r)
              and a.privilege_type = 'EXECUTE'
          )
      ) then
        execute format('grant execute on function auth.%I() to %I', fn, r);
      end if;
    end loop;
  end loop;
end
$$;
