-- Tenant sign-up and invitation acceptance. Both must write rows no RLS policy lets the caller
-- write (a tenant; a membership in a tenant they don't belong to yet), so they are SECURITY DEFINER
-- and check the caller themselves. Errors use SQLSTATE P0001 with a stable message the app maps.

create or replace function public.create_tenant(p_name text, p_timezone text default 'UTC')
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_claims jsonb := coalesce(auth.jwt(), '{}'::jsonb);
  v_tenant uuid;
  v_base text;
  v_slug text;
begin
  if v_uid is null then
    raise exception using errcode = 'P0001', message = 'not_authenticated';
  end if;
  if p_name is null or char_length(btrim(p_name)) not between 1 and 200 then
    raise exception using errcode = 'P0001', message = 'invalid_tenant_name';
  end if;
  if p_timezone is null then
    raise exception using errcode = 'P0001', message = 'invalid_timezone';
  end if;
  begin
    perform now() at time zone p_timezone;
  exception when invalid_parameter_value then
    raise exception using errcode = 'P0001', message = 'invalid_timezone';
  end;

  -- Slug: ASCII-folded name plus a random suffix; retry on the (unlikely) collision.
  v_base := left(btrim(regexp_replace(lower(p_name), '[^a-z0-9]+', '-', 'g'), '-'), 40);
  v_base := btrim(v_base, '-');
  if v_base = '' then
    v_base := 'team';
  end if;
  for i in 1..10 loop
    v_slug := v_base || '-' || left(replace(gen_random_uuid()::text, '-', ''), 8);
    insert into public.tenants (name, slug, timezone)
    values (p_name, v_slug, p_timezone)
    on conflict (slug) do nothing
    returning id into v_tenant;
    exit when v_tenant is not null;
  end loop;
  if v_tenant is null then
    raise exception using errcode = 'P0001', message = 'slug_unavailable';
  end if;

  insert into public.memberships (tenant_id, user_id, role)
  values (v_tenant, v_uid, 'owner');

  insert into public.profiles as p (id, email, full_name)
  values (v_uid, lower(v_claims ->> 'email'), v_claims -> 'user_metadata' ->> 'full_name')
  on conflict (id) do update
    set email = coalesce(excluded.email, p.email),
        full_name = coalesce(p.full_name, excluded.full_name);

  insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id)
  values (v_tenant, v_uid, 'tenant.created', 'tenant', v_tenant::text);

  return v_tenant;
end
$$;

create or replace function public.accept_invitation(p_token text)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_claims jsonb := coalesce(auth.jwt(), '{}'::jsonb);
  v_inv public.invitations%rowtype;
begin
  if v_uid is null then
    raise exception using errcode = 'P0001', message = 'not_authenticated';
  end if;

  -- Row lock: two concurrent accepts of one token can't both succeed.
  select * into v_inv
  from public.invitations i
  where i.token_hash = encode(sha256(convert_to(coalesce(p_token, ''), 'UTF8')), 'hex')
  for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'invitation_not_found';
  end if;

  if v_inv.email is distinct from lower(v_claims ->> 'email') then
    raise exception using errcode = 'P0001', message = 'invitation_email_mismatch';
  end if;

  if v_inv.accepted_at is not null then
    -- A second click by the same user is harmless; anyone else is refused.
    if v_inv.accepted_by = v_uid then
      return v_inv.tenant_id;
    end if;
    raise exception using errcode = 'P0001', message = 'invitation_already_accepted';
  end if;

  if v_inv.expires_at <= now() then
    raise exception using errcode = 'P0001', message = 'invitation_expired';
  end if;

  -- An existing member keeps the higher of the two roles (enum order: owner < … < agent).
  insert into public.memberships as m (tenant_id, user_id, role)
  values (v_inv.tenant_id, v_uid, v_inv.role)
  on conflict (tenant_id, user_id) do update
    set role = least(m.role, excluded.role);

  update public.invitations
  set accepted_at = now(), accepted_by = v_uid
  where id = v_inv.id;

  insert into public.profiles as p (id, email, full_name)
  values (v_uid, lower(v_claims ->> 'email'), v_claims -> 'user_metadata' ->> 'full_name')
  on conflict (id) do update
    set email = coalesce(excluded.email, p.email),
        full_name = coalesce(p.full_name, excluded.full_name);

  insert into public.audit_log (tenant_id, actor_id, action, target_type, target_id, details)
  values (v_inv.tenant_id, v_uid, 'invitation.accepted', 'invitation', v_inv.id::text,
          jsonb_build_object('role', v_inv.role));

  return v_inv.tenant_id;
end
$$;

revoke all on function public.create_tenant(text, text) from public, anon;
revoke all on function public.accept_invitation(text) from public, anon;
grant execute on function public.create_tenant(text, text) to authenticated;
grant execute on function public.accept_invitation(text) to authenticated;
